package dev.herald.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.demo.MockServerSelectors;
import dev.herald.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the kubelet's probes see: not live or ready before the operator runs, both after. */
@EnableKubernetesMockClient(crud = true)
class HealthServerTest {
  KubernetesClient client;
  KubernetesMockServer server;

  @org.junit.jupiter.api.BeforeEach
  void setBasedSelectors() {
    MockServerSelectors.install(server);
  }

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void probesFollowTheOperatorsState() throws Exception {
    OperatorHarness.installCrds(client);
    HeraldOperator operator = new HeraldOperator(client, OperatorHarness.testConfig());
    try (HealthServer health = new HealthServer(0, operator::runtimeInfo)) {
      assertThat(status(health, "/healthz")).isEqualTo(503);
      assertThat(status(health, "/readyz")).isEqualTo(503);
      operator.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> status(health, "/readyz") == 200);
      assertThat(status(health, "/healthz")).isEqualTo(200);
    } finally {
      operator.close();
    }
  }

  private int status(HealthServer health, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
