package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.RateLimitSpec;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.testing.TestReceiver.Received;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * spec.rateLimit through the whole operator: a paced endpoint's POSTs keep the rate while another
 * endpoint's deliveries go at once, the long waits read Throttled (with no Event), and the waits
 * are counted in the metrics.
 */
@EnableKubernetesMockClient(crud = true)
class PacedEndpointTest extends OperatorTestBase {
  private static final int EACH = 20;

  @Test
  void aPacedEndpointKeepsItsRateAndAnotherIsNotSlowedDown() {
    WebhookEndpoint paced = endpoint(ns, "paced", receiver.url("/paced"), "1s");
    RateLimitSpec limit = new RateLimitSpec();
    limit.setRequests(10);
    limit.setBurst(1);
    paced.getSpec().setRateLimit(limit);
    create(paced);
    create(endpoint(ns, "free", receiver.url("/free"), "1s"));
    // the first POST of a process is slower (connections, class loading): not what is measured
    create(delivery(ns, "warm-up", "free", "{}"));
    awaitPhase("warm-up", DeliveryPhase.Succeeded);
    // every status the paced deliveries pass through, as a watch sees them
    AtomicBoolean sawThrottled = new AtomicBoolean();
    var watch =
        client
            .resources(WebhookDelivery.class)
            .inNamespace(ns)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, WebhookDelivery d) {
                    if ("Throttled".equals(readyReason(d))) {
                      sawThrottled.set(true);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    for (int i = 0; i < EACH; i++) {
      create(delivery(ns, "p-" + i, "paced", "{\"n\": " + i + "}"));
      create(delivery(ns, "f-" + i, "free", "{\"n\": " + i + "}"));
    }
    IntStream.range(0, EACH).forEach(i -> awaitPhase("p-" + i, DeliveryPhase.Succeeded));
    IntStream.range(0, EACH).forEach(i -> awaitPhase("f-" + i, DeliveryPhase.Succeeded));

    List<Instant> pacedAt = at("/paced");
    List<Instant> freeAt = at("/free");
    assertThat(pacedAt).hasSize(EACH);
    assertThat(freeAt).hasSize(EACH + 1); // with the warm-up
    // burst 1 at 10/s: 100 ms at least between two POSTs
    assertThat(Duration.between(pacedAt.get(0), pacedAt.get(EACH - 1)))
        .as("%s", pacedAt)
        .isGreaterThanOrEqualTo(Duration.ofMillis(1_850));
    // any 11 POSTs in a row span a second at least (less the jitter of the way from the decision
    // to the receiver, where a pause can bunch two requests that were paced apart)
    for (int i = 10; i < EACH; i++) {
      assertThat(Duration.between(pacedAt.get(i - 10), pacedAt.get(i)))
          .as("POSTs %d to %d of %s", i - 10, i, pacedAt)
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
    assertThat(freeAt.get(EACH - 1))
        .as("the endpoint without a limit finished while the paced one was still going")
        .isBefore(pacedAt.get(EACH / 2));
    watch.close();
    assertThat(sawThrottled).as("a wait of a second or more reads Throttled").isTrue();
    assertThat(herald.events(ns, "p-" + (EACH - 1)))
        .noneMatch(e -> "Throttled".equals(e.getReason()));
    String metrics = herald.operator().metrics().scrape();
    assertThat(metrics)
        .contains("herald_rate_limited_total{endpoint=\"paced\",namespace=\"" + ns + "\"}")
        .contains("herald_rate_limit_wait_seconds_count{endpoint=\"paced\"")
        .doesNotContain("herald_rate_limited_total{endpoint=\"free\"");
  }

  @Test
  void waitingDeliveriesSurviveARestartAndLiftingTheLimitReleasesThem() {
    WebhookEndpoint paced = endpoint(ns, "paced", receiver.url("/paced"), "1s");
    RateLimitSpec limit = new RateLimitSpec();
    limit.setRequests(1);
    limit.setPer("1s");
    paced.getSpec().setRateLimit(limit);
    create(paced);
    int count = 12;
    for (int i = 0; i < count; i++) {
      create(delivery(ns, "r-" + i, "paced", "{\"n\": " + i + "}"));
    }
    await().atMost(WAIT).until(() -> at("/paced").size() >= 2);
    // the line lives in memory only: the next process lines the due deliveries up again
    herald.stop();
    int beforeRestart = at("/paced").size();
    assertThat(beforeRestart).isLessThan(count);
    herald.start();
    await().atMost(WAIT).until(() -> at("/paced").size() >= beforeRestart + 1);
    // one a second still after the restart; lifting the limit sends the rest at once
    Instant lifted = Instant.now();
    editEndpoint(
        "paced",
        e -> {
          e.getSpec().setRateLimit(null);
          return e;
        });
    IntStream.range(0, count).forEach(i -> awaitPhase("r-" + i, DeliveryPhase.Succeeded));
    assertThat(
            receiver.received().stream()
                .filter(r -> r.path().equals("/paced"))
                .map(r -> r.header("webhook-id"))
                .distinct()
                .count())
        .as("every delivery arrived")
        .isEqualTo(count);
    assertThat(Duration.between(lifted, at("/paced").get(at("/paced").size() - 1)))
        .as("the rest went at once when the limit was lifted")
        .isLessThan(Duration.ofSeconds(5));
  }

  private List<Instant> at(String path) {
    return receiver.received().stream()
        .filter(r -> r.path().equals(path))
        .map(Received::at)
        .sorted()
        .toList();
  }
}
