package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.demo.MockServerSelectors;
import dev.herald.kube.client.KubeApiClient;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.TestReceiver;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator as {@code herald run} wires it: on the rate-limited, counting client, with the
 * request counts on the /metrics it serves. What a benchmark sums to get requests per delivery.
 */
@EnableKubernetesMockClient(crud = true)
class KubeApiRequestsTest {
  KubernetesClient client;
  KubernetesMockServer mockServer;

  /**
   * The operator's informers use set-based selectors (in, notin) the mock server cannot parse by
   * itself.
   */
  @BeforeEach
  void understandSetBasedSelectors() {
    MockServerSelectors.install(mockServer);
  }

  @Test
  void theOperatorsRequestsAreCountedOnMetrics() throws Exception {
    String ns = OperatorHarness.freshNamespace();
    OperatorHarness.installCrds(client);
    HeraldMetrics metrics = HeraldMetrics.prometheus();
    try (TestReceiver receiver = new TestReceiver();
        KubernetesClient limited =
            KubeApiClient.build(client.getConfiguration(), 50, 100, metrics);
        HeraldOperator operator =
            new HeraldOperator(limited, OperatorHarness.testConfig(), metrics).start();
        HealthServer server =
            new HealthServer(0, operator::runtimeInfo, operator.metrics()::scrape)) {
      client.resource(endpoint(ns, "billing", receiver.url("/hook"), "1s")).create();
      client.resource(delivery(ns, "ok", "billing", "{}")).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                WebhookDelivery d =
                    client.resources(WebhookDelivery.class).inNamespace(ns).withName("ok").get();
                return d != null
                    && d.getStatus() != null
                    && d.getStatus().getPhase() == DeliveryPhase.Succeeded;
              });

      String scraped = scrape(server);
      // the informers' list and watch, and the delivery's status written back
      assertThat(scraped)
          .containsPattern(
              "herald_kube_api_requests_total\\{resource=\"webhookdeliveries\",verb=\"list\"} [1-9]")
          .containsPattern(
              "herald_kube_api_requests_total\\{resource=\"webhookdeliveries\",verb=\"watch\"} [1-9]")
          .containsPattern(
              "herald_kube_api_requests_total\\{resource=\"webhookdeliveries\",verb=\"patch\"} [1-9]")
          .containsPattern(
              "herald_kube_api_requests_total\\{resource=\"webhookendpoints\",verb=\"list\"} [1-9]")
          .contains("herald_kube_api_throttled_seconds_count");
    }
  }

  private static String scrape(HealthServer server) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
