package dev.herald.kube.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.metrics.HeraldMetrics;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's Kubernetes client against the mock API server: rate-limited, counted, watches
 * free.
 */
@EnableKubernetesMockClient(crud = true)
class KubeApiClientTest {
  private static final String NS = "shop";

  /** The mock server's own client: unthrottled, uncounted, for the test's own setup. */
  KubernetesClient client;

  KubernetesMockServer server;

  private final HeraldMetrics metrics = HeraldMetrics.prometheus();
  private final ExecutorService callers = Executors.newFixedThreadPool(4);
  private KubernetesClient limited;

  @AfterEach
  void close() {
    callers.shutdownNow();
    if (limited != null) {
      limited.close();
    }
  }

  private static Secret secret(String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .build();
  }

  private double requests(String verb, String resource) {
    var counter =
        metrics
            .registry()
            .find("herald.kube.api.requests")
            .tags("verb", verb, "resource", resource)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  /**
   * The API server names the field manager of a write without one after the User-Agent's prefix.
   */
  @Test
  void everyRequestSaysHeraldSoWritesAreManagedByHerald() throws Exception {
    for (double qps : new double[] {0, 100}) {
      limited = KubeApiClient.build(client.getConfiguration(), qps, 10, metrics);
      limited.secrets().resource(secret("ua-" + (int) qps)).create();
      String userAgent = server.getLastRequest().getHeader("User-Agent");
      assertThat(userAgent).startsWith(KubeApiClient.FIELD_MANAGER + "/");
      assertThat(userAgent.substring(0, userAgent.indexOf('/'))).isEqualTo("herald");
      limited.close();
    }
    // the caller's configuration is left as it was
    assertThat(client.getConfiguration().getUserAgent()).startsWith("fabric8-kubernetes-client/");
  }

  @Test
  void nRequestsTakeAtLeastNMinusBurstOverQpsAndAreCountedByVerbAndResource() {
    limited = KubeApiClient.build(client.getConfiguration(), 10, 5, metrics);
    long start = System.nanoTime();
    limited.secrets().resource(secret("s1")).create();
    limited
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("c1")
                .withNamespace(NS)
                .endMetadata()
                .build())
        .create();
    for (int i = 0; i < 25; i++) {
      assertThat(limited.secrets().inNamespace(NS).withName("s1").get()).isNotNull();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // 27 requests at 10 qps with a burst of 5: at least (N - burst) / qps
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis((27 - 5) * 100));
    assertThat(requests("get", "secrets")).isEqualTo(25);
    assertThat(requests("create", "secrets")).isEqualTo(1);
    assertThat(requests("create", "configmaps")).isEqualTo(1);
    // on the registry /metrics serves, under the name the benchmark sums
    assertThat(metrics.scrape())
        .contains("herald_kube_api_requests_total{resource=\"secrets\",verb=\"get\"} 25.0")
        .contains("herald_kube_api_throttled_seconds_count");
  }

  @Test
  void aWatchIsNotHeldBackBehindQueuedRequests() throws Exception {
    limited = KubeApiClient.build(client.getConfiguration(), 1, 1, metrics);
    // five lists at 1 qps, burst 1: the last is sent four seconds from now
    List<CompletableFuture<Void>> queued =
        IntStream.range(0, 5)
            .mapToObj(
                i ->
                    CompletableFuture.runAsync(
                        () -> limited.secrets().inNamespace(NS).list(), callers))
            .toList();
    await().atMost(Duration.ofSeconds(2)).until(() -> requests("list", "secrets") >= 1);

    AtomicBoolean seen = new AtomicBoolean();
    Watch watch =
        limited
            .secrets()
            .inNamespace(NS)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Secret resource) {
                    seen.set(true);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      client.secrets().resource(secret("new")).create();
      await().atMost(Duration.ofSeconds(2)).untilTrue(seen);
    } finally {
      watch.close();
    }

    assertThat(queued).anyMatch(f -> !f.isDone()); // the lists still wait their turn
    assertThat(requests("watch", "secrets")).isEqualTo(1);
    CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(requests("list", "secrets")).isEqualTo(5);
  }
}
