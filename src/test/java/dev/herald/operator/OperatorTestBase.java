package dev.herald.operator;

import static org.awaitility.Awaitility.await;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointReason;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.demo.MockServerSelectors;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.Resources;
import dev.herald.testing.TestReceiver;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** One operator, one receiver and a fresh namespace per test; subclasses enable the mock server. */
abstract class OperatorTestBase {
  static final Duration WAIT = Duration.ofSeconds(30);

  KubernetesClient client;
  KubernetesMockServer server;
  OperatorHarness herald;
  TestReceiver receiver;
  String ns;

  @BeforeEach
  void startOperator() {
    MockServerSelectors.install(server);
    receiver = new TestReceiver();
    herald = new OperatorHarness(client).start();
    ns = OperatorHarness.freshNamespace();
  }

  @AfterEach
  void stopOperator() {
    herald.close();
    receiver.close();
  }

  <T extends HasMetadata> T create(T resource) {
    return client.resource(resource).create();
  }

  WebhookDelivery awaitPhase(String name, DeliveryPhase phase) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              WebhookDelivery d = herald.delivery(ns, name);
              return d != null && d.getStatus() != null && d.getStatus().getPhase() == phase;
            });
    return herald.delivery(ns, name);
  }

  String readyReason(HasMetadata resource) {
    var conditions =
        resource instanceof WebhookDelivery d
            ? (d.getStatus() == null ? null : d.getStatus().getConditions())
            : (((WebhookEndpoint) resource).getStatus() == null
                ? null
                : ((WebhookEndpoint) resource).getStatus().getConditions());
    return conditions == null
        ? null
        : conditions.stream()
            .filter(c -> c.getType().equals("Ready"))
            .map(c -> c.getReason())
            .findFirst()
            .orElse(null);
  }

  void awaitDeliveryReason(String name, String reason) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              WebhookDelivery d = herald.delivery(ns, name);
              return d != null && reason.equals(readyReason(d));
            });
  }

  /**
   * Waits until the operator has made these endpoints Ready. An event goes to the endpoints the
   * operator knows when it is published, so tests that publish wait for this first.
   */
  void awaitEndpointsReady(String... names) {
    for (String name : names) {
      awaitEndpointReason(name, EndpointReason.Ready.name());
    }
  }

  void awaitEndpointReason(String name, String reason) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              WebhookEndpoint e = herald.endpoint(ns, name);
              return e != null && reason.equals(readyReason(e));
            });
  }

  WebhookEndpoint editEndpoint(String name, UnaryOperator<WebhookEndpoint> change) {
    return Resources.editRetrying(
        client.resources(WebhookEndpoint.class).inNamespace(ns).withName(name), change);
  }

  /**
   * As {@code kubectl annotate} does: a merge patch without a resourceVersion, so a concurrent
   * write by the operator (labels, status) cannot make it fail with a conflict.
   */
  WebhookDelivery annotateDelivery(String name, String key, String value) {
    String patch =
        client
            .getKubernetesSerialization()
            .asJson(Map.of("metadata", Map.of("annotations", Map.of(key, value))));
    return client
        .resources(WebhookDelivery.class)
        .inNamespace(ns)
        .withName(name)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            patch);
  }

  String secretValue(String name, String key) {
    Secret s = client.secrets().inNamespace(ns).withName(name).get();
    return s == null
        ? null
        : new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  /** A Secret of the user's, marked for Herald (herald.dev/usable=true). */
  Secret userSecret(String name, String key, String value) {
    return create(secret(ns, name, Map.of(Herald.LABEL_USABLE, Herald.USABLE), key, value));
  }

  /** A Secret of the namespace that nobody marked for Herald. */
  Secret unmarkedSecret(String namespace, String name, String key, String value) {
    return create(secret(namespace, name, Map.of(), key, value));
  }

  static Secret secret(
      String namespace, String name, Map<String, String> labels, String key, String value) {
    return new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withData(
            Map.of(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))))
        .build();
  }
}
