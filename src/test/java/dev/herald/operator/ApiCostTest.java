package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.demo.MockServerSelectors;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.TestReceiver;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a delivery that succeeds at its first try costs the API server: its status write and its
 * label write. No read before sending (the informer's copy holds every write of ours), no read
 * before recording (the write is conditional on the resourceVersion), no Event, no Secret read per
 * attempt, no endpoint status write per success.
 */
@EnableKubernetesMockClient(crud = true)
class ApiCostTest {
  private static final int DELIVERIES = 30;
  KubernetesClient client;
  KubernetesMockServer server;

  /**
   * The operator's informers use set-based selectors (in, notin) the mock server cannot parse by
   * itself.
   */
  @BeforeEach
  void understandSetBasedSelectors() {
    MockServerSelectors.install(server);
  }

  @Test
  void aFirstTrySuccessCostsTwoWrites() throws InterruptedException {
    String ns = OperatorHarness.freshNamespace();
    try (TestReceiver receiver = new TestReceiver();
        HeraldOperator herald = new HeraldOperator(client, OperatorHarness.testConfig()).start()) {
      OperatorHarness.installCrds(client);
      assertThat(herald.runtimeInfo().isStarted()).isTrue();
      client.resource(endpoint(ns, "billing", receiver.url("/hook"), "1s")).create();
      client.resource(delivery(ns, "warm-up", "billing", "{}")).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> "Succeeded".equals(label(ns, "warm-up")));
      skipRequestsSoFar();

      for (int i = 0; i < DELIVERIES; i++) {
        client.resource(delivery(ns, "order-" + i, "billing", "{}")).create();
      }
      // polled with a list (a query string), which operatorRequests leaves out
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client
                          .resources(WebhookDelivery.class)
                          .inNamespace(ns)
                          .withLabel("herald.dev/phase", "Succeeded")
                          .list()
                          .getItems()
                          .size()
                      == DELIVERIES + 1);
      Map<String, Integer> byKind = operatorRequests(ns);

      assertThat(receiver.received()).hasSize(DELIVERIES + 1);
      assertThat(byKind.getOrDefault("PATCH deliveries/status", 0)).isEqualTo(DELIVERIES);
      assertThat(byKind.getOrDefault("PATCH deliveries", 0)).isEqualTo(DELIVERIES);
      assertThat(byKind.getOrDefault("POST events", 0))
          .as("no Event per first-try success")
          .isZero();
      assertThat(byKind.getOrDefault("GET secrets", 0))
          .as("signing keys are not read per attempt")
          .isLessThanOrEqualTo(2);
      assertThat(byKind.getOrDefault("PUT endpoints/status", 0))
          .as("no endpoint write per success")
          .isLessThanOrEqualTo(2);
      int reads = byKind.getOrDefault("GET deliveries", 0);
      assertThat(reads)
          .as("reads of a delivery: only when the informer lags behind our own write")
          .isLessThan(DELIVERIES / 3);
      int total = byKind.values().stream().mapToInt(Integer::intValue).sum();
      assertThat((double) total / DELIVERIES)
          .as("API requests per delivery: %s", byKind)
          .isLessThan(2.5);
    }
  }

  /**
   * A retrying delivery costs one status write per attempt and nothing else: labels and Events only
   * when its phase or Ready reason changes (Failed once, Exhausted once), not per retry, so a
   * namespace whose deliveries fail every second writes no more than it must.
   */
  @Test
  void aFailedRetryCostsOneStatusWrite() throws InterruptedException {
    String ns = OperatorHarness.freshNamespace();
    int deliveries = 5;
    int attempts = 6;
    try (TestReceiver receiver = new TestReceiver().always(TestReceiver.Response.of(500));
        HeraldOperator herald = new HeraldOperator(client, OperatorHarness.testConfig()).start()) {
      OperatorHarness.installCrds(client);
      assertThat(herald.runtimeInfo().isStarted()).isTrue();
      client
          .resource(endpoint(ns, "billing", receiver.url("/hook"), "1s x" + (attempts - 1)))
          .create();
      client.resource(delivery(ns, "warm-up", "billing", "{}")).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> "Exhausted".equals(label(ns, "warm-up")));
      skipRequestsSoFar();

      for (int i = 0; i < deliveries; i++) {
        client.resource(delivery(ns, "order-" + i, "billing", "{}")).create();
      }
      await()
          .atMost(Duration.ofSeconds(40))
          .until(
              () ->
                  client
                          .resources(WebhookDelivery.class)
                          .inNamespace(ns)
                          .withLabel("herald.dev/phase", "Exhausted")
                          .list()
                          .getItems()
                          .size()
                      == deliveries + 1);
      Map<String, Integer> byKind = operatorRequests(ns);

      assertThat(receiver.received()).hasSize((deliveries + 1) * attempts);
      assertThat(byKind.getOrDefault("PATCH deliveries/status", 0))
          .as("one status write per attempt: %s", byKind)
          .isEqualTo(deliveries * attempts);
      assertThat(byKind.getOrDefault("PATCH deliveries", 0))
          .as("phase labels: Failed, then Exhausted")
          .isEqualTo(deliveries * 2);
      assertThat(byKind.getOrDefault("POST events", 0))
          .as("Events: Retrying, then Exhausted; none per retry")
          .isEqualTo(deliveries * 2);
      assertThat(byKind.getOrDefault("GET deliveries", 0))
          .as("reads of a delivery: only when the informer lags behind our own write")
          .isLessThan(deliveries * attempts / 3);
    }
  }

  private void skipRequestsSoFar() throws InterruptedException {
    for (int i = 0, n = server.getRequestCount(); i < n; i++) {
      server.takeRequest(1, TimeUnit.SECONDS);
    }
  }

  /** Requests since the warm-up, without the test's own creates and polls nor watches. */
  private Map<String, Integer> operatorRequests(String ns) throws InterruptedException {
    Map<String, Integer> counts = new TreeMap<>();
    var request = server.takeRequest(100, TimeUnit.MILLISECONDS);
    while (request != null) {
      String path = request.getPath();
      String method = request.getMethod();
      boolean testOwn =
          ("POST".equals(method) && path.contains("/webhookdeliveries"))
              || ("GET".equals(method) && path.contains("?"));
      if (!testOwn && path.contains("/namespaces/" + ns + "/") && !path.contains("watch=")) {
        counts.merge(method + " " + kind(path), 1, Integer::sum);
      }
      request = server.takeRequest(100, TimeUnit.MILLISECONDS);
    }
    return counts;
  }

  private static String kind(String path) {
    String p = path.replaceAll("\\?.*", "");
    String[] parts = p.split("/");
    String resource = "";
    for (int i = 0; i < parts.length - 1; i++) {
      if ("namespaces".equals(parts[i]) && i + 2 < parts.length) {
        resource = parts[i + 2].replace("webhook", "");
      }
    }
    return p.endsWith("/status") ? resource + "/status" : resource;
  }

  private String label(String ns, String name) {
    var d = client.resources(WebhookDelivery.class).inNamespace(ns).withName(name).get();
    return d == null || d.getMetadata().getLabels() == null
        ? null
        : d.getMetadata().getLabels().get("herald.dev/phase");
  }
}
