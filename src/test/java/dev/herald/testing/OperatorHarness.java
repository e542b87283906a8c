package dev.herald.testing;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.http.SenderOptions;
import dev.herald.kube.client.KubeApiClient;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.operator.HeraldConfig;
import dev.herald.operator.HeraldOperator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Runs a real Herald operator against a (mock) API server, with test-friendly settings. */
public final class OperatorHarness implements AutoCloseable {
  private final KubernetesClient client;
  private HeraldOperator operator;
  private KubernetesClient operatorClient;

  public OperatorHarness(KubernetesClient client) {
    this.client = client;
    installCrds(client);
  }

  /**
   * Registers Herald's CRDs, so the mock server, like a real one, keeps status a subresource:
   * writes to the main resource then leave status alone.
   */
  public static void installCrds(KubernetesClient client) {
    for (String file : dev.herald.demo.DemoCommand.CRDS) {
      try (InputStream in =
          OperatorHarness.class.getResourceAsStream("/META-INF/herald/crds/" + file)) {
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .load(in)
            .createOr(NonDeletingOperation::update);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static HeraldConfig testConfig() {
    return HeraldConfig.builder()
        .closeClientOnStop(false)
        .reconcileThreads(10)
        .secretRetry(Duration.ofMillis(500))
        .historySweep(Duration.ofMillis(200))
        // the digest tests watch several intervals go by
        .minDigestInterval(Duration.ofSeconds(1))
        .senderOptions(localReceivers())
        .build();
  }

  /**
   * Test receivers ({@link TestReceiver}) are plain http on 127.0.0.1: the defaults refuse both, as
   * they must for URLs users type, so tests open exactly that address and plain http.
   */
  public static SenderOptions localReceivers() {
    return TestReceiver.localOptions();
  }

  public OperatorHarness start() {
    return start(testConfig());
  }

  /**
   * The operator gets a client of its own, built as `herald run` builds it (Herald's JSON limits),
   * without a request limit.
   */
  public OperatorHarness start(HeraldConfig config) {
    HeraldMetrics metrics = HeraldMetrics.prometheus();
    operatorClient = KubeApiClient.build(client.getConfiguration(), 0, 1, metrics);
    operator = new HeraldOperator(operatorClient, config, metrics).start();
    return this;
  }

  public HeraldOperator operator() {
    return operator;
  }

  public void stop() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
    if (operatorClient != null) {
      operatorClient.close();
      operatorClient = null;
    }
  }

  /** Waits until the endpoint names its signing Secret and that Secret exists; returns its name. */
  public static String awaitSigningSecret(
      KubernetesClient client, String namespace, String endpoint, Duration atMost) {
    org.awaitility.Awaitility.await()
        .atMost(atMost)
        .until(
            () -> {
              WebhookEndpoint e =
                  client
                      .resources(WebhookEndpoint.class)
                      .inNamespace(namespace)
                      .withName(endpoint)
                      .get();
              return e != null
                  && e.getStatus() != null
                  && e.getStatus().getSigningSecretName() != null
                  && client
                          .secrets()
                          .inNamespace(namespace)
                          .withName(e.getStatus().getSigningSecretName())
                          .get()
                      != null;
            });
    return client
        .resources(WebhookEndpoint.class)
        .inNamespace(namespace)
        .withName(endpoint)
        .get()
        .getStatus()
        .getSigningSecretName();
  }

  public static String freshNamespace() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public WebhookDelivery delivery(String namespace, String name) {
    return client.resources(WebhookDelivery.class).inNamespace(namespace).withName(name).get();
  }

  public WebhookEndpoint endpoint(String namespace, String name) {
    return client.resources(WebhookEndpoint.class).inNamespace(namespace).withName(name).get();
  }

  public List<Event> events(String namespace, String objectName) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> objectName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  @Override
  public void close() {
    stop();
  }
}
