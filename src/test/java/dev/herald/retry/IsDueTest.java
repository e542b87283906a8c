package dev.herald.retry;

import static dev.herald.retry.DeliveryStateMachine.isDue;
import static dev.herald.retry.Fixtures.T0;
import static dev.herald.retry.Fixtures.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DeliveryPhase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IsDueTest {
  @Test
  void aNewDeliveryIsDueAtOnce() {
    assertThat(isDue(DeliveryProgress.initial(), T0)).isTrue();
    assertThat(isDue(DeliveryProgress.initial(), Instant.EPOCH)).isTrue();
  }

  @Test
  void dueExactlyAtTheNextAttemptTime() {
    DeliveryProgress p = failed(1, T0, T0.plus(Duration.ofMinutes(1)));

    assertThat(isDue(p, T0.plus(Duration.ofMinutes(1)).minusNanos(1))).isFalse();
    assertThat(isDue(p, T0.plus(Duration.ofMinutes(1)))).isTrue();
    assertThat(isDue(p, T0.plus(Duration.ofDays(30)))).isTrue();
  }

  @Test
  void aPendingDeliveryWithAFutureTimeWaits() {
    DeliveryProgress p =
        new DeliveryProgress(DeliveryPhase.Pending, 0, null, T0.plusSeconds(1), null);

    assertThat(isDue(p, T0)).isFalse();
    assertThat(isDue(p, T0.plusSeconds(1))).isTrue();
  }

  @Test
  void aFailedDeliveryWithoutNextTimeIsDue() {
    assertThat(isDue(failed(1, T0, null), T0)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = DeliveryPhase.class,
      names = {"Succeeded", "Exhausted", "Cancelled"})
  void finishedDeliveriesAreNeverDue(DeliveryPhase phase) {
    assertThat(isDue(new DeliveryProgress(phase, 1, T0, null, T0), T0.plus(Duration.ofDays(1))))
        .isFalse();
    // even if a stale next time was left behind
    assertThat(isDue(new DeliveryProgress(phase, 1, T0, T0, T0), T0.plus(Duration.ofDays(1))))
        .isFalse();
  }
}
