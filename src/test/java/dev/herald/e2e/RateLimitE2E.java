package dev.herald.e2e;

import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.testing.OperatorProcess;
import dev.herald.testing.Resources;
import dev.herald.testing.TestReceiver;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.rateLimit on the real API server: 200 deliveries to an endpoint limited to 5 a second arrive
 * at that rate (within 10%, the burst aside), every one of them, while an endpoint without a limit
 * in the same run delivers at its usual speed; a waiting delivery reads Throttled in {@code kubectl
 * describe}.
 */
class RateLimitE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("ratelimit");
  private static final int PACED = 200;
  private static final int FREE = 50;
  private static final int RATE = 5;
  private static final int BURST = 5;

  @Test
  void twoHundredDeliveriesKeepTheRateAndAnotherEndpointIsNotSlowed() throws Exception {
    TestReceiver paced = env.receiver();
    TestReceiver free = env.receiver();
    OperatorProcess operator = env.startOperatorWithMetrics();
    env.apply(
        endpoint(
            "paced",
            paced.url("/hook"),
            "1s",
            """
                rateLimit: {requests: %d, per: 1s, burst: %d}
                history: {keep: 300}
                """
                .formatted(RATE, BURST)));
    env.apply(endpoint("free", free.url("/hook"), "1s"));
    env.awaitField("whe", "paced", ".status.phase", "Active"::equals);
    env.awaitField("whe", "free", ".status.phase", "Active"::equals);

    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(env.kubectl().kubeconfig())))
            .build()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < PACED; i++) {
        String name = "paced-%03d".formatted(i);
        pool.submit(() -> client.resource(delivery(name, "paced")).create());
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

      // while the paced line drains, the other endpoint's deliveries go at once
      Instant freeCreated = Instant.now();
      ExecutorService freePool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < FREE; i++) {
        String name = "free-%03d".formatted(i);
        freePool.submit(() -> client.resource(delivery(name, "free")).create());
      }
      freePool.shutdown();
      assertThat(freePool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> distinctIds(free) >= FREE);
      Duration freeTook = Duration.between(freeCreated, latest(free));
      E2EEnvironment.log("%d deliveries to the endpoint without a limit took %s", FREE, freeTook);
      assertThat(freeTook)
          .as("the endpoint without a limit is not slowed by the paced one")
          .isLessThan(Duration.ofSeconds(10));
      assertThat(distinctIds(paced))
          .as("the paced endpoint is still going when the free one is done")
          .isLessThan(PACED / 2);

      // the last of the line waits long enough to be told so
      String last = "paced-%03d".formatted(PACED - 1);
      env.awaitField(
          "whd", last, ".status.conditions[?(@.type==\"Ready\")].reason", "Throttled"::equals);
      assertThat(env.ok("describe", "whd", last))
          .contains("Throttled")
          .contains("rateLimit (5 per 1s, burst 5)");

      await()
          .atMost(Duration.ofSeconds(75))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> distinctIds(paced) >= PACED);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> succeeded(client, "paced") == PACED);
      // one deletecollection now rather than 250 deletes when the class ends
      client.resources(WebhookDelivery.class).inNamespace(env.ns()).delete();
    }

    List<Instant> at = paced.received().stream().map(TestReceiver.Received::at).sorted().toList();
    assertThat(distinctIds(paced)).isEqualTo(PACED); // none lost
    // the rate from receive timestamps, the burst aside: PACED - BURST requests after the burst
    List<Instant> afterBurst = at.subList(BURST - 1, at.size());
    Duration span = Duration.between(afterBurst.get(0), afterBurst.get(afterBurst.size() - 1));
    double rate = (afterBurst.size() - 1) / (span.toNanos() / 1e9);
    E2EEnvironment.log(
        "%d POSTs to the paced endpoint (%d distinct), %.3f/s after the burst over %s",
        at.size(), distinctIds(paced), rate, span);
    assertThat(rate).isBetween(RATE * 0.9, RATE * 1.1);

    String metrics = operator.metrics();
    assertThat(metrics)
        .contains("herald_rate_limited_total{endpoint=\"paced\",namespace=\"" + env.ns() + "\"}")
        .contains("herald_rate_limit_wait_seconds_count{endpoint=\"paced\"")
        .doesNotContain("herald_rate_limited_total{endpoint=\"free\"");
  }

  @Test
  void theApiServerRefusesALimitOutOfBounds() {
    for (var bad :
        Map.of(
                "{per: 1s}", "spec.rateLimit.requests: Required value",
                "{requests: 0}", "spec.rateLimit.requests: Invalid value: 0",
                "{requests: 20000}", "spec.rateLimit.requests: Invalid value: 20000",
                "{requests: 5, burst: 0}", "spec.rateLimit.burst: Invalid value: 0",
                "{requests: 5, per: 500ms}", "spec.rateLimit.per: Invalid value: \"500ms\"")
            .entrySet()) {
      Kubectl.Result r =
          env.kubectl()
              .runWithInput(
                  endpoint("bad", "https://hooks.example.com/", "1s", "rateLimit: " + bad.getKey()),
                  "apply",
                  "--validate=false",
                  "-n",
                  env.ns(),
                  "-f",
                  "-");
      assertThat(r.exitCode()).as(r.toString()).isNotZero();
      assertThat(r.errors()).as(r.toString()).contains(bad.getValue());
    }
    assertThat(env.run("get", "whe", "bad").ok()).as("nothing was stored").isFalse();
  }

  private WebhookDelivery delivery(String name, String endpoint) {
    WebhookDelivery d = Resources.delivery(env.ns(), name, endpoint, "{\"n\": \"" + name + "\"}");
    d.getSpec().setDeliveryId(name);
    return d;
  }

  private static long distinctIds(TestReceiver receiver) {
    return receiver.received().stream().map(r -> r.header("webhook-id")).distinct().count();
  }

  private static Instant latest(TestReceiver receiver) {
    return receiver.received().stream()
        .map(TestReceiver.Received::at)
        .max(Instant::compareTo)
        .orElseThrow();
  }

  private long succeeded(KubernetesClient client, String endpoint) {
    Map<String, Long> phases =
        client.resources(WebhookDelivery.class).inNamespace(env.ns()).list().getItems().stream()
            .filter(d -> d.getSpec().getEndpointRef().getName().equals(endpoint))
            .filter(d -> d.getStatus() != null && d.getStatus().getPhase() != null)
            .collect(
                Collectors.groupingBy(d -> d.getStatus().getPhase().name(), Collectors.counting()));
    return phases.getOrDefault("Succeeded", 0L);
  }
}
