package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.retry's manners on the real API server: the overload minimum after a 429 and a timeout, the
 * cap on Retry-After, and jitter spreading the retries of deliveries that failed together, as
 * status.nextAttemptTime shows them. Every retry is far enough out that the first attempt's status
 * is read before it.
 */
class RetryMannersE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("manners");

  /** Keeps the hanging receiver's requests open; opened after the class. */
  private static final CountDownLatch HANG = new CountDownLatch(1);

  @BeforeAll
  static void operator() {
    env.startOperator();
  }

  @AfterAll
  static void release() {
    HANG.countDown();
  }

  /** An endpoint with these {@code spec.retry} fields (flow style) and this timeout. */
  private static String endpoint(String name, String url, String timeout, String retry) {
    return """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookEndpoint
        metadata: {name: %s}
        spec:
          url: %s
          timeout: %s
          retry: {%s}
        """
        .formatted(name, url, timeout, retry);
  }

  /** From the start of the delivery's (only) attempt to its next attempt time. */
  private static Duration waitAfterFirstAttempt(String delivery) {
    env.awaitField("whd", delivery, ".status.nextAttemptTime", t -> !t.isEmpty());
    assertThat(env.jsonpath("whd", delivery, ".status.attempts")).isEqualTo("1");
    Instant last = Instant.parse(env.jsonpath("whd", delivery, ".status.lastAttemptTime"));
    Instant next = Instant.parse(env.jsonpath("whd", delivery, ".status.nextAttemptTime"));
    return Duration.between(last, next);
  }

  @Test
  void a429WaitsTheOverloadMinimumAndARetryAfterOverTheCapWaitsTheCap() {
    TestReceiver busy = env.receiver().always(Response.of(429, "slow down"));
    env.apply(endpoint("busy", busy.url("/busy"), "5s", "schedule: [2s], overloadMinDelay: 12s"));
    TestReceiver parking =
        env.receiver()
            .always(new Response(503, "come back in an hour", Map.of("Retry-After", "3600")));
    env.apply(
        endpoint("parking", parking.url("/parking"), "5s", "schedule: [2s], retryAfterMax: 9s"));
    env.apply(delivery("busy-1", "busy", "{\"orderId\": 1}"));
    env.apply(delivery("parked-1", "parking", "{\"orderId\": 2}"));

    // the schedule says 2s; the attempt itself takes a few milliseconds
    assertThat(waitAfterFirstAttempt("busy-1"))
        .isBetween(Duration.ofSeconds(12), Duration.ofSeconds(13));
    assertThat(env.jsonpath("whd", "busy-1", ".status.lastStatusCode")).isEqualTo("429");
    assertThat(waitAfterFirstAttempt("parked-1"))
        .as("Retry-After: 3600 is honoured up to retryAfterMax")
        .isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
  }

  @Test
  void aTimeoutWaitsTheOverloadMinimum() {
    TestReceiver hanging = env.receiver().holdUntil(HANG);
    env.apply(
        endpoint("hanging", hanging.url("/slow"), "1s", "schedule: [2s], overloadMinDelay: 15s"));
    env.apply(delivery("slow-1", "hanging", "{\"orderId\": 3}"));

    // the 1s timeout, then at least 15s
    assertThat(waitAfterFirstAttempt("slow-1"))
        .isBetween(Duration.ofSeconds(16), Duration.ofSeconds(17));
    assertThat(env.jsonpath("whd", "slow-1", ".status.lastError.class")).isEqualTo("Timeout");
  }

  @Test
  void jitterSpreadsTheRetriesOfDeliveriesThatFailedTogether() {
    TestReceiver down = env.receiver().always(Response.of(500, "down"));
    env.apply(endpoint("spread", down.url("/spread"), "5s", "schedule: [60s], jitter: 50%"));
    // five deliveries, and five events whose first attempts the event reconciler makes
    String manifests =
        IntStream.range(0, 5)
                .mapToObj(i -> delivery("spread-" + i, "spread", "{\"n\": " + i + "}"))
                .collect(Collectors.joining("---\n"))
            + IntStream.range(0, 5)
                .mapToObj(
                    i ->
                        """
                        ---
                        apiVersion: herald.dev/v1alpha1
                        kind: WebhookEvent
                        metadata: {name: burst-%d}
                        spec: {eventType: order.created, eventId: evt_burst_%d, payload: {n: %d}}
                        """
                            .formatted(i, i, i))
                .collect(Collectors.joining());
    env.apply(manifests);

    List<String> names = new ArrayList<>();
    await("ten deliveries")
        .atMost(E2EEnvironment.WAIT)
        .pollInterval(E2EEnvironment.POLL)
        .until(
            () -> {
              names.clear();
              env.ok("get", "whd", "-l", "herald.dev/endpoint=spread", "-o", "name")
                  .lines()
                  .forEach(n -> names.add(n.substring(n.indexOf('/') + 1)));
              return names.size() == 10;
            });
    assertThat(names).hasSize(10);
    Set<Duration> waits = new HashSet<>();
    for (String name : names) {
      Duration wait = waitAfterFirstAttempt(name);
      assertThat(wait).as(name).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(91));
      waits.add(wait);
    }
    assertThat(waits).as("ten different times").hasSize(10);
    assertThat(
            env.ok(
                    "get",
                    "whd",
                    "-l",
                    "herald.dev/endpoint=spread",
                    "-o",
                    "jsonpath={.items[*].metadata.annotations.herald\\.dev/first-attempt}")
                .split(" "))
        .as("five first attempts were the event reconciler's (FirstAttempts)")
        .hasSize(5);
  }

  @Test
  void theApiServerRefusesAJitterOverItsBound() {
    Kubectl.Result r =
        env.kubectl()
            .runWithInput(
                endpoint("wild", "https://hooks.example.com/in", "5s", "jitter: 80%"),
                "apply",
                "-n",
                env.ns(),
                "-f",
                "-");
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.errors()).contains("spec.retry.jitter", "should match");
  }
}
