package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A delivery whose status can never be written beside its payload (etcd refuses the request as too
 * large) neither sticks nor loops: the status is compacted, and when not even a minimal one fits
 * the delivery is reported and left alone, its slot freed, not sent again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusTooLargeE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("toolarge");
  private static final String NAME = "huge";
  private static TestReceiver receiver;
  private static OperatorProcess operator;

  /**
   * The largest blob etcd stores in delivery {@link #NAME}: any status added to it is too large.
   */
  private static int largest;

  @BeforeAll
  static void findTheLimitThenStart() {
    // before the operator runs, so that no probe is delivered
    int lo = 1_560_000; // the object around the blob is well under 12 kB
    int hi = 1_572_864; // etcd's default request limit
    while (hi - lo > 4) {
      int mid = (lo + hi) / 2;
      Kubectl.Result r = create(hugeDelivery(mid));
      if (r.ok()) {
        env.ok("delete", "whd", NAME, "--wait=true");
        lo = mid;
      } else {
        assertThat(r.errors()).as(r.errors()).containsIgnoringCase("too large");
        hi = mid;
      }
    }
    largest = lo;
    E2EEnvironment.log("StatusTooLargeE2E: the largest storable blob is %d bytes", largest);
    receiver = env.receiver();
    env.apply(endpoint("ep", receiver.url("/hooks"), "1s"));
    operator = env.startOperator();
  }

  @Test
  @Order(1)
  void aDeliveryWithNoRoomForAnyStatusIsReportedOnceAndNotSentAgain() {
    assertThat(create(hugeDelivery(largest)).ok()).isTrue();
    String selector = "involvedObject.name=" + NAME + ",type=Warning,reason=StatusRejected";
    await("a StatusRejected Event")
        .atMost(E2EEnvironment.WAIT)
        .pollInterval(E2EEnvironment.POLL)
        .until(
            () -> !env.ok("get", "events", "--field-selector", selector, "-o", "name").isBlank());
    assertThat(
            env.ok(
                "get",
                "events",
                "--field-selector",
                selector,
                "-o",
                "jsonpath={.items[*].message}"))
        .contains("minimal status")
        .contains("make it smaller or delete it");
    assertThat(receiver.received()).as("sent once").hasSize(1);
    // neither sent again nor written again in a loop
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(7))
        .until(() -> receiver.received().size() == 1);
    assertThat(env.jsonpath("whd", NAME, ".status")).isEmpty();
    assertThat(operator.log())
        .contains("huge: not even a minimal status fits")
        .doesNotContain("Exception");

    // its slot is free and others go on
    env.apply(delivery("small", "ep", "{\"a\": 1}"));
    env.awaitDeliveryPhase("small", "Succeeded");
    assertThat(operator.isAlive()).isTrue();
  }

  @Test
  @Order(2)
  void aStatusThatOutgrowsTheLimitIsCompactedAndTheDeliveryGoesOn() {
    TestReceiver failing = env.receiver().always(Response.of(500, "x".repeat(600)));
    // a long URL and response excerpt make each attempt record as large as its bounds allow
    // (about 0.9 kB for the newest, 0.5 kB for older ones)
    env.apply(endpoint("flaky", failing.url("/" + "p".repeat(1900)), "1s x14"));
    // beside Herald's 2 kB margin: room for a few attempt records, not for a full log of five
    assertThat(create(hugeDelivery("growing", "flaky", largest - 5_000)).ok()).isTrue();
    await("15 attempts")
        .atMost(Duration.ofSeconds(240))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> "Exhausted".equals(env.jsonpath("whd", "growing", ".status.phase")));
    assertThat(env.jsonpath("whd", "growing", ".status.attempts")).isEqualTo("15");
    assertThat(failing.received()).as("every attempt sent once, none repeated").hasSize(15);
    String attempts = env.jsonpath("whd", "growing", ".status.attemptLog[*].attempt");
    assertThat(attempts.split(" "))
        .as("older records were dropped to make room")
        .hasSizeLessThan(WebhookDeliveryStatus.MAX_LOG_ENTRIES);
    assertThat(attempts).endsWith("15");
    assertThat(operator.log()).doesNotContain("Exception");
  }

  @Test
  @Order(3)
  void whenOnlyAMinimalStatusFitsTheDeliveryEndsStatusRejected() {
    TestReceiver failing = env.receiver().always(Response.of(500, "x".repeat(600)));
    env.apply(endpoint("flaky-too", failing.url("/" + "q".repeat(1900)), "1s x5"));
    // beside Herald's 2 kB margin: room for a minimal status, soon none for a compacted one
    assertThat(create(hugeDelivery("no-room", "flaky-too", largest - 3_500)).ok()).isTrue();
    env.awaitDeliveryPhase("no-room", "Exhausted");
    assertThat(env.jsonpath("whd", "no-room", ".status.conditions[?(@.type==\"Ready\")].reason"))
        .isEqualTo("StatusRejected");
    assertThat(env.jsonpath("whd", "no-room", ".status.conditions[?(@.type==\"Ready\")].message"))
        .contains("not sent again")
        .contains("request limit");
    // the first records may still fit compacted; the schedule's six attempts are never all made
    int attempts = Integer.parseInt(env.jsonpath("whd", "no-room", ".status.attempts"));
    assertThat(attempts).isBetween(1, 5);
    assertThat(env.jsonpath("whd", "no-room", ".status.attemptLog")).isEmpty();
    assertThat(env.jsonpath("whd", "no-room", ".status.lastError.class")).isEqualTo("Http5xx");
    String selector = "involvedObject.name=no-room,type=Warning,reason=StatusRejected";
    await("a StatusRejected Event")
        .atMost(E2EEnvironment.WAIT)
        .pollInterval(E2EEnvironment.POLL)
        .until(
            () -> !env.ok("get", "events", "--field-selector", selector, "-o", "name").isBlank());
    // the rest of its schedule is not sent
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(() -> failing.received().size() == attempts);
    assertThat(operator.log()).doesNotContain("Exception");
  }

  private static String hugeDelivery(int blob) {
    return hugeDelivery(NAME, "ep", blob);
  }

  private static String hugeDelivery(String name, String endpoint, int blob) {
    return """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookDelivery
        metadata: {name: %s}
        spec:
          endpointRef: {name: %s}
          eventType: big
          payload: {blob: %s}
        """
        .formatted(name, endpoint, "a".repeat(blob));
  }

  private static Kubectl.Result create(String yaml) {
    return env.kubectl()
        .runWithInput(yaml, "create", "--validate=false", "-n", env.ns(), "-f", "-");
  }
}
