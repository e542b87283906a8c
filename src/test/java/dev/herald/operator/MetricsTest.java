package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.demo.MockServerSelectors;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What Prometheus scrapes from /metrics after deliveries succeed, fail, exhaust and wait. */
@EnableKubernetesMockClient(crud = true)
class MetricsTest {
  KubernetesClient client;
  KubernetesMockServer server;

  @org.junit.jupiter.api.BeforeEach
  void setBasedSelectors() {
    MockServerSelectors.install(server);
  }

  @Test
  void aNewDeliverysPickupIsTimedByStage() throws Exception {
    String ns = OperatorHarness.freshNamespace();
    OperatorHarness.installCrds(client);
    try (TestReceiver receiver = new TestReceiver();
        HeraldOperator operator = new HeraldOperator(client, OperatorHarness.testConfig()).start();
        HealthServer server =
            new HealthServer(0, operator::runtimeInfo, operator.metrics()::scrape)) {
      client.resource(endpoint(ns, "billing", receiver.url("/hook"), "1s")).create();
      client.resource(delivery(ns, "first", "billing", "{}")).create();
      client.resource(delivery(ns, "second", "billing", "{}")).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  phase(ns, "first") == DeliveryPhase.Succeeded
                      && phase(ns, "second") == DeliveryPhase.Succeeded);
      String metrics = scrape(server);
      for (String stage : java.util.List.of("dispatch", "queue", "reconcile", "total")) {
        assertThat(metrics)
            .contains(
                "herald_delivery_pickup_seconds_count{namespace=\""
                    + ns
                    + "\",stage=\""
                    + stage
                    + "\"} 2");
      }
    }
  }

  @Test
  void attemptsFailuresExhaustionAndPendingAreExposed() throws Exception {
    String ns = OperatorHarness.freshNamespace();
    OperatorHarness.installCrds(client);
    try (TestReceiver receiver = new TestReceiver().thenRespond(Response.of(503));
        TestReceiver gone = new TestReceiver().always(Response.of(410));
        HeraldOperator operator = new HeraldOperator(client, OperatorHarness.testConfig()).start();
        HealthServer server =
            new HealthServer(0, operator::runtimeInfo, operator.metrics()::scrape)) {
      client.resource(endpoint(ns, "billing", receiver.url("/hook"), "1s")).create();
      client.resource(endpoint(ns, "legacy", gone.url("/hook"), "1s")).create();
      var paused = endpoint(ns, "held", receiver.url("/held"), "1s");
      paused.getSpec().setPaused(true);
      client.resource(paused).create();
      client.resource(delivery(ns, "ok", "billing", "{}")).create();
      client.resource(delivery(ns, "ex", "legacy", "{}")).create();
      client.resource(delivery(ns, "waiting", "held", "{}")).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  phase(ns, "ok") == DeliveryPhase.Succeeded
                      && phase(ns, "ex") == DeliveryPhase.Exhausted);

      String labels = "endpoint=\"billing\",namespace=\"" + ns + "\"";
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                String metrics = scrape(server);
                assertThat(metrics)
                    .contains(
                        "herald_delivery_attempts_total{" + labels + ",result=\"Http5xx\"} 1.0")
                    .contains(
                        "herald_delivery_attempts_total{" + labels + ",result=\"success\"} 1.0")
                    .contains("herald_delivery_attempt_duration_seconds_count{" + labels + "} 2")
                    .contains(
                        "herald_deliveries_exhausted_total{endpoint=\"legacy\",namespace=\""
                            + ns
                            + "\"} 1.0")
                    .contains("herald_endpoint_consecutive_failures{" + labels + "} 0.0")
                    .contains(
                        "herald_endpoint_consecutive_failures{endpoint=\"legacy\",namespace=\""
                            + ns
                            + "\"} 1.0")
                    .contains(
                        "herald_deliveries_pending{endpoint=\"held\",namespace=\"" + ns + "\"} 1.0")
                    .containsPattern(
                        "herald_delivery_oldest_pending_age_seconds\\{endpoint=\"held\",namespace=\""
                            + ns
                            + "\"} [0-9.]+")
                    .doesNotContain("herald_deliveries_pending{" + labels);
              });
    }
  }

  private DeliveryPhase phase(String ns, String name) {
    var d =
        client
            .resources(dev.herald.api.v1alpha1.WebhookDelivery.class)
            .inNamespace(ns)
            .withName(name)
            .get();
    return d == null || d.getStatus() == null ? null : d.getStatus().getPhase();
  }

  private static String scrape(HealthServer server) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
