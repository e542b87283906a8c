package dev.herald.operator;

import dev.herald.delivery.WebhookDeliveryReconciler;
import dev.herald.endpoint.EndpointHealth;
import dev.herald.endpoint.SigningSecrets;
import dev.herald.endpoint.WebhookEndpointReconciler;
import dev.herald.http.WebhookSender;
import dev.herald.kube.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Wires Herald's reconcilers, the webhook sender and the Kubernetes client into one operator. */
public final class HeraldOperator implements AutoCloseable {
  private final Operator operator;
  private final Vertx vertx;
  private final WebhookSender sender;

  public HeraldOperator(KubernetesClient client, HeraldConfig config) {
    this.vertx = Vertx.vertx();
    this.sender = new WebhookSender(vertx, config.senderOptions());
    // JSON patches rather than server-side apply: status fields we clear must disappear, and the
    // same code path then runs against fabric8's mock server in tests. Parsing resource versions
    // lets JOSDK cache the result of a labels-then-status write: a reconcile that read the older
    // copy from the informer would repeat an attempt already made.
    this.operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withParseResourceVersions(true)
                    .withCloseClientOnStop(config.closeClientOnStop())
                    .withConcurrentReconciliationThreads(config.reconcileThreads()));
    var secrets = new SigningSecrets(client);
    var events = new EventRecorder(client, config.clock());
    operator.register(
        new WebhookEndpointReconciler(secrets, events, config.clock(), config.secretRetry()),
        o -> {
          if (!config.namespaces().isEmpty()) {
            o.settingNamespaces(config.namespaces());
          }
        });
    operator.register(
        new WebhookDeliveryReconciler(
            sender, secrets, new EndpointHealth(client), events, config.clock(), config.secretRetry()),
        o -> {
          if (!config.namespaces().isEmpty()) {
            o.settingNamespaces(config.namespaces());
          }
        });
  }

  public HeraldOperator start() {
    operator.start();
    return this;
  }

  @Override
  public void close() {
    operator.stop();
    sender.close();
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }
}
