package dev.herald.retry;

import static dev.herald.retry.DeliveryStateMachine.afterAttempt;
import static dev.herald.retry.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.RetrySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * retry.overloadMinDelay and retry.retryAfterMax: an overloaded receiver is given room, and a
 * Retry-After is honoured up to a cap.
 */
class OverloadMannersTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static RetryPolicy policy(List<String> schedule, Duration minDelay, Duration cap) {
    return new RetryPolicy(RetrySchedule.parse(schedule), null, 0, minDelay, cap);
  }

  private static Instant next(RetryPolicy policy, AttemptOutcome outcome) {
    return afterAttempt("msg_1", DeliveryProgress.initial(), outcome, policy, T0, T0)
        .nextAttemptTime();
  }

  private static AttemptOutcome status(int code) {
    return AttemptOutcome.failure(ErrorClass.ofStatus(code), code, null);
  }

  private static AttemptOutcome status(int code, Duration retryAfter) {
    return AttemptOutcome.failure(ErrorClass.ofStatus(code), code, retryAfter);
  }

  private final RetryPolicy tenSecondsWithMinute =
      policy(List.of("10s", "10s", "5m"), MINUTE, null);

  @ParameterizedTest
  @ValueSource(ints = {429, 502, 503, 504})
  void anOverloadAnswerWaitsAtLeastTheMinimum(int code) {
    assertThat(next(tenSecondsWithMinute, status(code))).isEqualTo(T0.plus(MINUTE));
  }

  @Test
  void aTimeoutWaitsAtLeastTheMinimum() {
    AttemptOutcome timeout = AttemptOutcome.failure(ErrorClass.Timeout, null, null);

    assertThat(next(tenSecondsWithMinute, timeout)).isEqualTo(T0.plus(MINUTE));
  }

  @ParameterizedTest
  @ValueSource(ints = {302, 400, 404, 408, 500, 501, 505})
  void otherAnswersKeepTheSchedule(int code) {
    assertThat(next(tenSecondsWithMinute, status(code))).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void failuresWithoutTheReceiversAnswerKeepTheSchedule() {
    for (ErrorClass c :
        List.of(
            ErrorClass.ConnectionFailed,
            ErrorClass.DnsFailure,
            ErrorClass.TlsError,
            ErrorClass.Blocked,
            ErrorClass.TokenRequestFailed)) {
      assertThat(next(tenSecondsWithMinute, AttemptOutcome.failure(c, null, null)))
          .as(c.name())
          .isEqualTo(T0.plusSeconds(10));
    }
    assertThat(next(tenSecondsWithMinute, AttemptOutcome.failure(ErrorClass.ProxyError, 502, null)))
        .as("the proxy's 502 is not the receiver's")
        .isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void theMinimumNeverShortensALongerScheduledDelay() {
    Instant start = T0.plusSeconds(30);
    DeliveryProgress p =
        afterAttempt(
            "msg_1",
            Fixtures.failed(2, T0, start),
            status(429),
            tenSecondsWithMinute,
            start,
            start);

    assertThat(p.nextAttemptTime()).isEqualTo(start.plus(Duration.ofMinutes(5)));
  }

  @Test
  void theMinimumIsNotJittered() {
    RetryPolicy jittered =
        new RetryPolicy(RetrySchedule.parse(List.of("10s")), null, 50, MINUTE, null);
    for (int i = 0; i < 100; i++) {
      AttemptOutcome o = status(503);
      assertThat(
              afterAttempt("msg_" + i, DeliveryProgress.initial(), o, jittered, T0, T0)
                  .nextAttemptTime())
          .isEqualTo(T0.plus(MINUTE));
    }
  }

  @Test
  void aMinimumPastMaxAgeExhausts() {
    RetryPolicy withAge =
        new RetryPolicy(
            RetrySchedule.parse(List.of("10s")), Duration.ofSeconds(30), 0, MINUTE, null);

    DeliveryProgress p =
        afterAttempt("msg_1", DeliveryProgress.initial(), status(504), withAge, T0, T0);

    assertThat(p.phase()).isEqualTo(DeliveryPhase.Exhausted);
  }

  @Test
  void aRetryAfterLongerThanTheCapWaitsTheCap() {
    RetryPolicy capped = policy(List.of("2s", "1h"), null, Duration.ofSeconds(5));

    assertThat(next(capped, status(503, Duration.ofHours(1)))).isEqualTo(T0.plusSeconds(5));
    assertThat(next(capped, status(429, Duration.ofSeconds(4)))).isEqualTo(T0.plusSeconds(4));
  }

  @Test
  void theCapMayExceedTheSchedulesLongestDelay() {
    RetryPolicy capped = policy(List.of("2s"), null, Duration.ofMinutes(10));

    assertThat(next(capped, status(429, Duration.ofMinutes(7)))).isEqualTo(T0.plusSeconds(420));
  }

  @Test
  void aCapOfZeroIgnoresRetryAfter() {
    RetryPolicy ignoring = policy(List.of("2s"), null, Duration.ZERO);

    assertThat(next(ignoring, status(429, Duration.ofMinutes(7)))).isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void retryAfterAndTheMinimumTakeTheLonger() {
    RetryPolicy both = policy(List.of("2s"), MINUTE, Duration.ofMinutes(10));

    assertThat(next(both, status(429, Duration.ofSeconds(90)))).isEqualTo(T0.plusSeconds(90));
    assertThat(next(both, status(429, Duration.ofSeconds(30)))).isEqualTo(T0.plus(MINUTE));
  }

  @Test
  void withoutTheNewFieldsTodaysBehaviourIsKept() {
    RetrySpec spec = new RetrySpec();
    spec.setSchedule(List.of("1m", "1m", "6h"));
    RetryPolicy p = RetryPolicy.from(spec);

    assertThat(p.jitterPercent()).isZero();
    assertThat(p.overloadMinDelay()).isNull();
    assertThat(p.retryAfterCap()).as("the schedule's longest delay").isEqualTo(Duration.ofHours(6));
    assertThat(next(p, status(429))).isEqualTo(T0.plus(MINUTE));
    assertThat(next(p, AttemptOutcome.failure(ErrorClass.Timeout, null, null)))
        .isEqualTo(T0.plus(MINUTE));
    assertThat(next(p, status(503, Duration.ofDays(2)))).isEqualTo(T0.plus(Duration.ofHours(6)));
  }
}
