package dev.herald.retry;

import static dev.herald.retry.DeliveryStateMachine.afterAttempt;
import static dev.herald.retry.DeliveryStateMachine.expireIfTooOld;
import static dev.herald.retry.DeliveryStateMachine.isDue;
import static dev.herald.retry.Fixtures.DEFAULT;
import static dev.herald.retry.Fixtures.HTTP_500;
import static dev.herald.retry.Fixtures.T0;
import static dev.herald.retry.Fixtures.failed;
import static dev.herald.retry.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DeliveryPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** maxAge: no attempt starts later than maxAge after the first one. */
class MaxAgeTest {
  final RetryPolicy oneHour = policy(List.of("30m x10"), "1h");

  @Test
  void aNextAttemptExactlyAtMaxAgeIsAllowed() {
    Instant start = T0.plus(Duration.ofMinutes(30));

    DeliveryProgress p =
        afterAttempt("msg_1", failed(1, T0, start), HTTP_500, oneHour, start, start);

    assertThat(p).isEqualTo(failed(2, T0, T0.plus(Duration.ofHours(1))));
  }

  @Test
  void aNextAttemptOneNanosecondPastMaxAgeExhausts() {
    Instant start = T0.plus(Duration.ofMinutes(30));
    Instant end = start.plusNanos(1);

    DeliveryProgress p = afterAttempt("msg_1", failed(1, T0, start), HTTP_500, oneHour, start, end);

    assertThat(p).isEqualTo(new DeliveryProgress(DeliveryPhase.Exhausted, 2, T0, null, end));
  }

  @Test
  void zeroMaxAgeAllowsOnlyTheFirstAttempt() {
    DeliveryProgress p =
        afterAttempt(
            "msg_1", DeliveryProgress.initial(), HTTP_500, policy(List.of("1m"), "0s"), T0, T0);

    assertThat(p.phase()).isEqualTo(DeliveryPhase.Exhausted);
  }

  @Test
  void maxAgeCountsFromTheFirstAttemptNotFromCreation() {
    // firstAttemptTime is set by the first afterAttempt, whenever that happens
    Instant late = T0.plus(Duration.ofDays(3));

    DeliveryProgress p =
        afterAttempt("msg_1", DeliveryProgress.initial(), HTTP_500, oneHour, late, late);

    assertThat(p).isEqualTo(failed(1, late, late.plus(Duration.ofMinutes(30))));
  }

  final RetryPolicy day = policy(List.of("1h x100"), "24h");

  @Test
  void notExpiredExactlyAtMaxAge() {
    DeliveryProgress p = failed(3, T0, T0.plus(Duration.ofHours(23)));

    assertThat(expireIfTooOld(p, day, T0.plus(Duration.ofHours(24)))).isEmpty();
  }

  @Test
  void expiredOneNanosecondLater() {
    DeliveryProgress p = failed(3, T0, T0.plus(Duration.ofHours(23)));
    Instant now = T0.plus(Duration.ofHours(24)).plusNanos(1);

    assertThat(expireIfTooOld(p, day, now))
        .contains(new DeliveryProgress(DeliveryPhase.Exhausted, 3, T0, null, now));
  }

  @Test
  void anOperatorThatWasDownDoesNotStartALateAttempt() {
    DeliveryProgress p = failed(3, T0, T0.plus(Duration.ofHours(23)));
    Instant back = T0.plus(Duration.ofHours(30));

    assertThat(isDue(p, back)).isTrue();
    assertThat(expireIfTooOld(p, day, back))
        .contains(new DeliveryProgress(DeliveryPhase.Exhausted, 3, T0, null, back));
  }

  @Test
  void aPausedDeliveryThatWaitedPastMaxAgeExpires() {
    DeliveryProgress paused = new DeliveryProgress(DeliveryPhase.Pending, 1, T0, null, null);
    Instant resumed = T0.plus(Duration.ofDays(2));

    assertThat(expireIfTooOld(paused, day, resumed))
        .contains(new DeliveryProgress(DeliveryPhase.Exhausted, 1, T0, null, resumed));
  }

  @Test
  void withoutMaxAgeNothingExpires() {
    DeliveryProgress p = failed(3, T0, T0.plus(Duration.ofHours(23)));

    assertThat(expireIfTooOld(p, DEFAULT, T0.plus(Duration.ofDays(3650)))).isEmpty();
  }

  @Test
  void neverAttemptedDeliveriesDoNotExpire() {
    assertThat(expireIfTooOld(DeliveryProgress.initial(), day, T0.plus(Duration.ofDays(3650))))
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = DeliveryPhase.class,
      names = {"Succeeded", "Exhausted", "Cancelled"})
  void finishedDeliveriesAreLeftAlone(DeliveryPhase phase) {
    DeliveryProgress done = new DeliveryProgress(phase, 2, T0, null, T0.plusSeconds(5));

    assertThat(expireIfTooOld(done, day, T0.plus(Duration.ofDays(3)))).isEmpty();
  }
}
