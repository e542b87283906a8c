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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeliveryStateMachineTest {
  @Test
  void initialIsPendingWithNothingSet() {
    assertThat(DeliveryProgress.initial())
        .isEqualTo(new DeliveryProgress(DeliveryPhase.Pending, 0, null, null, null));
  }

  @Test
  void progressRejectsNonsense() {
    assertThatThrownBy(() -> new DeliveryProgress(null, 0, null, null, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new DeliveryProgress(DeliveryPhase.Pending, -1, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- success
  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 204, 299})
  void firstAttemptSucceeds(int code) {
    DeliveryProgress p =
        afterAttempt(
            "msg_1",
            DeliveryProgress.initial(),
            AttemptOutcome.success(code),
            DEFAULT,
            T0,
            T0.plusMillis(250));

    assertThat(p)
        .isEqualTo(new DeliveryProgress(DeliveryPhase.Succeeded, 1, T0, null, T0.plusMillis(250)));
  }

  @Test
  void successAfterFailuresKeepsTheFirstAttemptTime() {
    Instant start = T0.plus(Duration.ofHours(3));
    DeliveryProgress p =
        afterAttempt(
            "msg_1",
            failed(4, T0, start),
            AttemptOutcome.success(200),
            DEFAULT,
            start,
            start.plusSeconds(1));

    assertThat(p)
        .isEqualTo(
            new DeliveryProgress(DeliveryPhase.Succeeded, 5, T0, null, start.plusSeconds(1)));
  }

  @Test
  void successOnTheLastAllowedAttemptIsNotExhausted() {
    DeliveryProgress p =
        afterAttempt("msg_1", failed(8, T0, T0), AttemptOutcome.success(204), DEFAULT, T0, T0);

    assertThat(p.phase()).isEqualTo(DeliveryPhase.Succeeded);
    assertThat(p.attempts()).isEqualTo(DEFAULT.maxAttempts());
  }

  @Test
  void successIsRecordedEvenPastMaxAge() {
    // The attempt was allowed to start; its answer must not be thrown away.
    RetryPolicy p24 = policy(List.of("1m"), "1h");
    Instant start = T0.plus(Duration.ofHours(1));

    DeliveryProgress p =
        afterAttempt(
            "msg_1",
            failed(1, T0, start),
            AttemptOutcome.success(200),
            p24,
            start,
            start.plusSeconds(30));

    assertThat(p.phase()).isEqualTo(DeliveryPhase.Succeeded);
  }

  // --- failure
  @ParameterizedTest
  @EnumSource(
      value = ErrorClass.class,
      names = {"Gone", "Aborted"},
      mode = EnumSource.Mode.EXCLUDE)
  void everyFailureButGoneAndAbortedIsRetried(ErrorClass errorClass) {
    Instant end = T0.plusSeconds(2);

    DeliveryProgress p =
        afterAttempt(
            "msg_1",
            DeliveryProgress.initial(),
            AttemptOutcome.failure(errorClass, null, null),
            DEFAULT,
            T0,
            end);

    assertThat(p).isEqualTo(failed(1, T0, end.plus(Duration.ofMinutes(1))));
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void aRedirectIsAFailureThatRetries(int code) {
    AttemptOutcome redirect = AttemptOutcome.failure(ErrorClass.ofStatus(code), code, null);

    DeliveryProgress p =
        afterAttempt("msg_1", DeliveryProgress.initial(), redirect, DEFAULT, T0, T0);

    assertThat(redirect.errorClass()).isEqualTo(ErrorClass.Redirect);
    assertThat(p).isEqualTo(failed(1, T0, T0.plus(Duration.ofMinutes(1))));
  }

  @Test
  void blockedByTheEgressPolicyIsRetried() {
    DeliveryProgress p =
        afterAttempt(
            "msg_1",
            failed(2, T0, T0),
            AttemptOutcome.failure(ErrorClass.Blocked, null, null),
            DEFAULT,
            T0,
            T0);

    assertThat(p).isEqualTo(failed(3, T0, T0.plus(Duration.ofMinutes(30))));
  }

  @Test
  void goneExhaustsAtOnceWithRetriesLeft() {
    AttemptOutcome gone = AttemptOutcome.failure(ErrorClass.ofStatus(410), 410, null);
    Instant end = T0.plusMillis(40);

    DeliveryProgress p = afterAttempt("msg_1", DeliveryProgress.initial(), gone, DEFAULT, T0, end);

    assertThat(gone.errorClass()).isEqualTo(ErrorClass.Gone);
    assertThat(p).isEqualTo(new DeliveryProgress(DeliveryPhase.Exhausted, 1, T0, null, end));
  }

  @Test
  void anAbortedMessageExhaustsAtOnceWithRetriesLeft() {
    Instant start = T0.plus(Duration.ofMinutes(1));
    DeliveryProgress p =
        afterAttempt(
            "msg_1",
            failed(1, T0, start),
            AttemptOutcome.failure(ErrorClass.Aborted, 500, null),
            DEFAULT,
            start,
            start);

    assertThat(p).isEqualTo(new DeliveryProgress(DeliveryPhase.Exhausted, 2, T0, null, start));
  }

  @Test
  void goneExhaustsLaterAttemptsToo() {
    Instant start = T0.plus(Duration.ofMinutes(6));
    DeliveryProgress p =
        afterAttempt(
            "msg_1",
            failed(2, T0, start),
            AttemptOutcome.failure(ErrorClass.Gone, 410, Duration.ofMinutes(5)),
            DEFAULT,
            start,
            start);

    assertThat(p).isEqualTo(new DeliveryProgress(DeliveryPhase.Exhausted, 3, T0, null, start));
  }

  @Test
  void theDelayCountsFromTheEndOfTheAttempt() {
    Instant end = T0.plusSeconds(15); // e.g. a timeout

    DeliveryProgress p =
        afterAttempt(
            "msg_1",
            DeliveryProgress.initial(),
            AttemptOutcome.failure(ErrorClass.Timeout, null, null),
            DEFAULT,
            T0,
            end);

    assertThat(p.firstAttemptTime()).isEqualTo(T0);
    assertThat(p.nextAttemptTime()).isEqualTo(T0.plusSeconds(15).plus(Duration.ofMinutes(1)));
  }

  @Test
  void retryNumberIsTheAttemptCountSoFar() {
    Instant start = T0.plus(Duration.ofHours(5));

    DeliveryProgress p =
        afterAttempt("msg_1", failed(4, T0, start), HTTP_500, DEFAULT, start, start);

    // attempt 5 failed: retry 5 of 1m 5m 30m 2h [12h] ...
    assertThat(p).isEqualTo(failed(5, T0, start.plus(Duration.ofHours(12))));
  }

  @Test
  void noRetryLeftExhausts() {
    Instant start = T0.plus(Duration.ofDays(7));

    DeliveryProgress p =
        afterAttempt("msg_1", failed(8, T0, start), HTTP_500, DEFAULT, start, start.plusSeconds(1));

    assertThat(p)
        .isEqualTo(
            new DeliveryProgress(DeliveryPhase.Exhausted, 9, T0, null, start.plusSeconds(1)));
  }

  @Test
  void anEmptyScheduleNeverRetries() {
    DeliveryProgress p =
        afterAttempt(
            "msg_1", DeliveryProgress.initial(), HTTP_500, policy(List.of(), null), T0, T0);

    assertThat(p).isEqualTo(new DeliveryProgress(DeliveryPhase.Exhausted, 1, T0, null, T0));
  }

  @Test
  void aPendingDeliveryWithEarlierAttemptsKeepsCounting() {
    // e.g. an endpoint that was paused: the delivery waited as Pending with attempts recorded
    DeliveryProgress before = new DeliveryProgress(DeliveryPhase.Pending, 1, T0, null, null);
    Instant start = T0.plus(Duration.ofHours(2));

    DeliveryProgress p = afterAttempt("msg_1", before, HTTP_500, DEFAULT, start, start);

    assertThat(p).isEqualTo(failed(2, T0, start.plus(Duration.ofMinutes(5))));
  }

  // --- preconditions
  @ParameterizedTest
  @EnumSource(
      value = DeliveryPhase.class,
      names = {"Succeeded", "Exhausted", "Cancelled"})
  void aFinishedDeliveryTakesNoMoreAttempts(DeliveryPhase phase) {
    DeliveryProgress done = new DeliveryProgress(phase, 3, T0, null, T0);

    assertThatThrownBy(() -> afterAttempt("msg_1", done, HTTP_500, DEFAULT, T0, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(phase.name());
  }

  @Test
  void anAttemptCannotEndBeforeItStarts() {
    assertThatThrownBy(
            () ->
                afterAttempt(
                    "msg_1", DeliveryProgress.initial(), HTTP_500, DEFAULT, T0, T0.minusNanos(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- replay
  @Test
  void replayIsAFreshStart() {
    assertThat(DeliveryStateMachine.replay()).isEqualTo(DeliveryProgress.initial());
  }

  @Test
  void aReplayedDeliveryGetsItsFullScheduleAndANewMaxAgeWindow() {
    RetryPolicy p = policy(List.of("1m"), "1h");
    DeliveryProgress exhausted =
        afterAttempt(
            "msg_1",
            failed(1, T0, T0.plusSeconds(60)),
            HTTP_500,
            p,
            T0.plusSeconds(60),
            T0.plusSeconds(60));
    assertThat(exhausted.phase()).isEqualTo(DeliveryPhase.Exhausted);
    Instant later = T0.plus(Duration.ofDays(5));

    DeliveryProgress replayed = DeliveryStateMachine.replay();
    assertThat(isDue(replayed, later)).isTrue();
    assertThat(expireIfTooOld(replayed, p, later)).isEmpty();
    DeliveryProgress again = afterAttempt("msg_1", replayed, HTTP_500, p, later, later);

    assertThat(again).isEqualTo(failed(1, later, later.plus(Duration.ofMinutes(1))));
  }
}
