package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Timers of a running operator live in memory; after a crash the next attempt time must come from
 * status. The operator is SIGKILLed while a delivery waits in backoff and started again.
 */
class OperatorRestartE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("restart");
  static final Duration BACKOFF = Duration.ofSeconds(10);

  @Test
  void aDeliveryInBackoffIsRetriedAtItsRecordedTimeAfterARestart() {
    TestReceiver receiver = env.receiver().thenRespond(Response.of(500, "not yet"));
    OperatorProcess first = env.startOperator();
    env.apply(endpoint("billing", receiver.url("/hooks"), BACKOFF.toSeconds() + "s"));
    env.apply(delivery("order-1", "billing", "{\"orderId\": 1}"));
    env.awaitDeliveryPhase("order-1", "Failed");
    Instant next = Instant.parse(env.jsonpath("whd", "order-1", ".status.nextAttemptTime"));

    first.kill();
    assertThat(first.isAlive()).isFalse();
    assertThat(receiver.received()).hasSize(1);

    OperatorProcess second = env.startOperator();
    Instant ready = Instant.now();
    env.awaitDeliveryPhase("order-1", "Succeeded");
    await().atMost(E2EEnvironment.WAIT).until(() -> receiver.received().size() == 2);

    Instant retried = receiver.received().get(1).at();
    assertThat(retried)
        .as("not before the recorded next attempt time")
        .isAfterOrEqualTo(next.minusMillis(100));
    // A restart that started the backoff over would retry about BACKOFF after `ready`.
    Instant due = ready.isAfter(next) ? ready : next;
    assertThat(retried)
        .as("resumed at the recorded time (ready at %s)", ready)
        .isBefore(due.plusSeconds(4));
    assertThat(env.jsonpath("whd", "order-1", ".status.attempts")).isEqualTo("2");
    assertThat(second.log()).doesNotContain("Exception in thread");
  }
}
