package dev.herald.e2e;

import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.testing.Resources;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deliveries in backoff must not delay new ones: a thousand deliveries to a failing endpoint retry
 * together (a herd every 20 s) while new deliveries to a healthy endpoint arrive once a second;
 * each new one is POSTed within seconds of its creation, during the herd too.
 */
class BacklogE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("backlog");
  private static final int BACKLOG = 1000;
  private static final int NEW = 30;

  @Test
  void aThousandDeliveriesInBackoffDoNotDelayNewOnes() throws Exception {
    TestReceiver down = env.receiver().always(Response.of(503));
    TestReceiver up = env.receiver();
    Map<String, Instant> created = new ConcurrentHashMap<>();
    env.startOperator();
    env.apply(endpoint("down", down.url("/hook"), "20s x5"));
    env.apply(endpoint("up", up.url("/hook"), "1s"));
    env.awaitField("whe", "down", ".status.phase", "Active"::equals);
    env.awaitField("whe", "up", ".status.phase", "Active"::equals);

    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(env.kubectl().kubeconfig())))
            .build()) {
      List<Duration> baseline = latencies(client, up, created, "alone", 5);

      Instant start = Instant.now();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < BACKLOG; i++) {
        String name = "stuck-" + i;
        pool.submit(() -> client.resource(delivery(name, "down")).create());
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(3, TimeUnit.MINUTES)).isTrue();
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> countFailed(client) >= BACKLOG);
      E2EEnvironment.log(
          "%d deliveries created and in backoff after %s",
          BACKLOG, Duration.between(start, Instant.now()));

      // one a second for 30 s: across the next retry herd of the backlog (every 20 s)
      List<Duration> withBacklog = latencies(client, up, created, "new", NEW);
      int retried = down.received().size() - BACKLOG;
      E2EEnvironment.log(
          "create->POST alone: %s; with %d in backoff (%d retries meanwhile): p50 %s, max %s",
          summary(baseline),
          BACKLOG,
          retried,
          percentile(withBacklog, 50),
          percentile(withBacklog, 100));

      assertThat(retried)
          .as("the backlog retried while new deliveries came (a herd)")
          .isGreaterThan(BACKLOG / 2);
      assertThat(percentile(withBacklog, 100))
          .as("each new delivery is POSTed promptly")
          .isLessThan(Duration.ofSeconds(5));
    }
  }

  private static List<Duration> latencies(
      KubernetesClient client,
      TestReceiver up,
      Map<String, Instant> created,
      String prefix,
      int count)
      throws InterruptedException {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = prefix + "-" + i;
      WebhookDelivery d = delivery(name, "up");
      d.getSpec().setDeliveryId(name);
      created.put(name, Instant.now());
      client.resource(d).create();
      names.add(name);
      TimeUnit.SECONDS.sleep(1);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> names.stream().allMatch(n -> arrival(up, n) != null));
    return names.stream()
        .map(n -> Duration.between(created.get(n), arrival(up, n)))
        .sorted()
        .toList();
  }

  private static Instant arrival(TestReceiver receiver, String webhookId) {
    return receiver.received().stream()
        .filter(r -> webhookId.equals(r.header("webhook-id")))
        .map(TestReceiver.Received::at)
        .findFirst()
        .orElse(null);
  }

  private static long countFailed(KubernetesClient client) {
    return client
        .resources(WebhookDelivery.class)
        .inNamespace(env.ns())
        .withLabel("herald.dev/phase", "Failed")
        .list()
        .getItems()
        .size();
  }

  private static WebhookDelivery delivery(String name, String endpoint) {
    return Resources.delivery(env.ns(), name, endpoint, "{\"n\": \"" + name + "\"}");
  }

  private static Duration percentile(List<Duration> sorted, int p) {
    return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static String summary(List<Duration> sorted) {
    return "p50 " + percentile(sorted, 50) + ", max " + percentile(sorted, 100);
  }
}
