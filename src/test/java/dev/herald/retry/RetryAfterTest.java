package dev.herald.retry;

import static dev.herald.retry.DeliveryStateMachine.afterAttempt;
import static dev.herald.retry.Fixtures.T0;
import static dev.herald.retry.Fixtures.failed;
import static dev.herald.retry.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retry-After on 429 and 503: honoured to lengthen a delay, never beyond the schedule. */
class RetryAfterTest {
  final RetryPolicy oneMinuteThenLong = policy(List.of("1m", "1m", "6h"), null);

  private Instant nextAfter(int code, Duration retryAfter) {
    AttemptOutcome o = AttemptOutcome.failure(ErrorClass.ofStatus(code), code, retryAfter);
    return afterAttempt("msg_1", DeliveryProgress.initial(), o, oneMinuteThenLong, T0, T0)
        .nextAttemptTime();
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503})
  void lengthensTheDelayOn429And503(int code) {
    assertThat(nextAfter(code, Duration.ofMinutes(10))).isEqualTo(T0.plus(Duration.ofMinutes(10)));
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503})
  void isCappedByTheSchedulesLongestDelay(int code) {
    assertThat(nextAfter(code, Duration.ofDays(365))).isEqualTo(T0.plus(Duration.ofHours(6)));
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503})
  void neverShortensTheDelay(int code) {
    assertThat(nextAfter(code, Duration.ofSeconds(5))).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(nextAfter(code, Duration.ZERO)).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(nextAfter(code, Duration.ofSeconds(-30))).isEqualTo(T0.plus(Duration.ofMinutes(1)));
  }

  @ParameterizedTest
  @ValueSource(ints = {302, 400, 401, 404, 408, 500, 502, 504})
  void isIgnoredForOtherCodes(int code) {
    assertThat(nextAfter(code, Duration.ofMinutes(10))).isEqualTo(T0.plus(Duration.ofMinutes(1)));
  }

  @Test
  void isIgnoredWithoutAResponse() {
    AttemptOutcome o =
        AttemptOutcome.failure(ErrorClass.ConnectionFailed, null, Duration.ofMinutes(10));

    DeliveryProgress p =
        afterAttempt("msg_1", DeliveryProgress.initial(), o, oneMinuteThenLong, T0, T0);

    assertThat(p.nextAttemptTime()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
  }

  @Test
  void absentRetryAfterUsesTheSchedule() {
    assertThat(nextAfter(503, null)).isEqualTo(T0.plus(Duration.ofMinutes(1)));
  }

  @Test
  void doesNotExtendASchedulePastItsEnd() {
    Instant start = T0.plus(Duration.ofHours(7));
    AttemptOutcome o = AttemptOutcome.failure(ErrorClass.Http4xx, 429, Duration.ofMinutes(1));

    DeliveryProgress p =
        afterAttempt("msg_1", failed(3, T0, start), o, oneMinuteThenLong, start, start);

    assertThat(p.phase()).isEqualTo(DeliveryPhase.Exhausted);
  }

  @Test
  void thatWouldPassMaxAgeExhausts() {
    RetryPolicy withAge = policy(List.of("1m", "2h"), "1h");
    AttemptOutcome o = AttemptOutcome.failure(ErrorClass.Http5xx, 503, Duration.ofMinutes(90));

    DeliveryProgress p = afterAttempt("msg_1", DeliveryProgress.initial(), o, withAge, T0, T0);

    assertThat(p).isEqualTo(new DeliveryProgress(DeliveryPhase.Exhausted, 1, T0, null, T0));
  }

  @Test
  void upToMaxAgeIsHonoured() {
    RetryPolicy withAge = policy(List.of("1m", "2h"), "1h");
    AttemptOutcome o = AttemptOutcome.failure(ErrorClass.Http5xx, 503, Duration.ofMinutes(60));

    DeliveryProgress p = afterAttempt("msg_1", DeliveryProgress.initial(), o, withAge, T0, T0);

    assertThat(p).isEqualTo(failed(1, T0, T0.plus(Duration.ofHours(1))));
  }
}
