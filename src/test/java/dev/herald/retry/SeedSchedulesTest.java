package dev.herald.retry;

import static dev.herald.retry.Fixtures.T0;
import static dev.herald.retry.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.RetrySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The retry schedules of the four senders in /work/shared/seeds, expressed as Herald policies and
 * driven through the state machine the way the reconciler would, with exact times.
 */
class SeedSchedulesTest {

  /** Every attempt start, and the progress the delivery ended in. */
  private record Walk(List<Instant> starts, DeliveryProgress end) {}

  /**
   * Drives a delivery from creation at T0: each attempt starts exactly when it becomes due and
   * takes {@code attemptDuration}; {@code outcomeOfAttempt} answers attempt n (1-based). Checks on
   * the way what the reconciler relies on: not due a nanosecond early, due on time, not expired
   * when due.
   */
  private static Walk walk(
      RetryPolicy policy, Duration attemptDuration, IntFunction<AttemptOutcome> outcomeOfAttempt) {
    DeliveryProgress p = DeliveryProgress.initial();
    Instant now = T0;
    List<Instant> starts = new ArrayList<>();
    while (true) {
      assertThat(DeliveryStateMachine.isDue(p, now)).as("due at %s", now).isTrue();
      if (p.nextAttemptTime() != null) {
        assertThat(DeliveryStateMachine.isDue(p, now.minusNanos(1))).isFalse();
      }
      assertThat(DeliveryStateMachine.expireIfTooOld(p, policy, now))
          .as("expired at %s", now)
          .isEmpty();
      starts.add(now);
      Instant end = now.plus(attemptDuration);
      p =
          DeliveryStateMachine.afterAttempt(
              "msg_1", p, outcomeOfAttempt.apply(starts.size()), policy, now, end);
      assertThat(p.attempts()).isEqualTo(starts.size());
      assertThat(p.firstAttemptTime()).isEqualTo(T0);
      if (p.phase() != DeliveryPhase.Failed) {
        assertThat(p.nextAttemptTime()).isNull();
        assertThat(p.completionTime()).isEqualTo(end);
        return new Walk(starts, p);
      }
      assertThat(p.completionTime()).isNull();
      now = p.nextAttemptTime();
    }
  }

  private static Walk alwaysFailing(RetryPolicy policy) {
    return walk(policy, Duration.ZERO, n -> AttemptOutcome.failure(ErrorClass.Http5xx, 500, null));
  }

  private static List<Instant> at(Duration... offsets) {
    List<Instant> times = new ArrayList<>();
    for (Duration d : offsets) {
      times.add(T0.plus(d));
    }
    return times;
  }

  private static Duration h(long hours) {
    return Duration.ofHours(hours);
  }

  private static Duration gap(Walk w, int retry) {
    return Duration.between(w.starts().get(retry - 1), w.starts().get(retry));
  }

  // --- seed 000: "every 10 minutes until ... 24 hours have passed since the first attempt"

  @Test
  void seed000_every10MinutesFor24Hours() {
    RetryPolicy policy = policy(List.of("10m x144"), "24h");

    Walk w = alwaysFailing(policy);

    List<Instant> expected = new ArrayList<>();
    for (int k = 0; k <= 144; k++) {
      expected.add(T0.plus(Duration.ofMinutes(10L * k)));
    }
    assertThat(w.starts()).containsExactlyElementsOf(expected);
    assertThat(w.starts().subList(0, 4))
        .isEqualTo(
            at(
                Duration.ZERO,
                Duration.ofMinutes(10),
                Duration.ofMinutes(20),
                Duration.ofMinutes(30)));
    assertThat(w.starts().get(144)).isEqualTo(T0.plus(h(24)));
    assertThat(w.end().phase()).isEqualTo(DeliveryPhase.Exhausted);
    assertThat(w.end().attempts()).isEqualTo(145).isEqualTo(policy.maxAttempts());
    assertThat(w.end().completionTime()).isEqualTo(T0.plus(h(24)));
  }

  @Test
  void seed000_withALongerScheduleMaxAgeIsWhatStops() {
    RetryPolicy policy = policy(List.of("10m x99999"), "24h");

    Walk w = alwaysFailing(policy);

    assertThat(policy.schedule().delayBeforeRetry(145)).contains(Duration.ofMinutes(10));
    assertThat(w.starts()).hasSize(145);
    assertThat(w.starts().get(144)).isEqualTo(T0.plus(h(24)));
    assertThat(w.end())
        .isEqualTo(new DeliveryProgress(DeliveryPhase.Exhausted, 145, T0, null, T0.plus(h(24))));
  }

  @Test
  void seed000_slowAttemptsPushRetriesLaterSoMaxAgeCutsOneSooner() {
    // delays count from the end of an attempt: 2 s per attempt drifts 10m2s per cycle
    RetryPolicy policy = policy(List.of("10m x99999"), "24h");

    Walk w =
        walk(
            policy,
            Duration.ofSeconds(2),
            n -> AttemptOutcome.failure(ErrorClass.Timeout, null, null));

    assertThat(w.starts()).hasSize(144);
    assertThat(w.starts().get(143)).isEqualTo(T0.plusSeconds(143 * 602)); // 23h54m46s
    assertThat(w.end().phase()).isEqualTo(DeliveryPhase.Exhausted);
    assertThat(w.end().completionTime()).isEqualTo(T0.plusSeconds(143 * 602 + 2));
  }

  @Test
  void seed000_anOperatorOutageStopsTheLateAttempt() {
    RetryPolicy policy = policy(List.of("10m x99999"), "24h");
    DeliveryProgress waiting = Fixtures.failed(144, T0, T0.plus(Duration.ofMinutes(1430)));
    Instant backOnline = T0.plus(h(24)).plusSeconds(1);

    assertThat(DeliveryStateMachine.isDue(waiting, backOnline)).isTrue();
    assertThat(DeliveryStateMachine.expireIfTooOld(waiting, policy, backOnline))
        .contains(new DeliveryProgress(DeliveryPhase.Exhausted, 144, T0, null, backOnline));
  }

  @Test
  void seed000_aTwoHundredEndsIt() {
    Walk w =
        walk(
            policy(List.of("10m x144"), "24h"),
            Duration.ZERO,
            n ->
                n < 7
                    ? AttemptOutcome.failure(ErrorClass.ConnectionFailed, null, null)
                    : AttemptOutcome.success(202));

    assertThat(w.end())
        .isEqualTo(new DeliveryProgress(DeliveryPhase.Succeeded, 7, T0, null, T0.plus(h(1))));
  }

  // --- seed 001: immediately, then 30 s, 1 h, 6 h, 12 h, 24 h, then no more automatic retries

  @Test
  void seed001_sixAttemptsThenStop() {
    RetryPolicy policy = policy(List.of("30s", "1h", "6h", "12h", "24h"), null);
    // the failure classes the seed lists, one per attempt: all retried alike
    List<AttemptOutcome> outcomes =
        List.of(
            AttemptOutcome.failure(ErrorClass.ConnectionFailed, null, null),
            AttemptOutcome.failure(ErrorClass.Redirect, 302, null),
            AttemptOutcome.failure(ErrorClass.Http4xx, 400, null),
            AttemptOutcome.failure(ErrorClass.Http5xx, 500, null),
            AttemptOutcome.failure(ErrorClass.TlsError, null, null),
            AttemptOutcome.failure(ErrorClass.Timeout, null, null));

    Walk w = walk(policy, Duration.ZERO, n -> outcomes.get(n - 1));

    assertThat(policy.maxAttempts()).isEqualTo(6);
    Duration thirty = Duration.ofSeconds(30);
    assertThat(w.starts())
        .isEqualTo(
            at(
                Duration.ZERO,
                thirty,
                thirty.plus(h(1)),
                thirty.plus(h(7)),
                thirty.plus(h(19)),
                thirty.plus(h(43))));
    assertThat(w.end())
        .isEqualTo(
            new DeliveryProgress(
                DeliveryPhase.Exhausted, 6, T0, null, T0.plus(thirty.plus(h(43)))));
  }

  // --- seed 002: every 60 s x10, every 600 s x9, hourly for 70 hours

  @Test
  void seed002_ninetyAttemptsOverSeventyOneHours() {
    RetryPolicy policy = policy(List.of("60s x10", "600s x9", "1h x70"), null);

    Walk w = alwaysFailing(policy);

    assertThat(policy.maxAttempts()).isEqualTo(90);
    assertThat(w.starts()).hasSize(90);
    for (int retry = 1; retry <= 89; retry++) {
      Duration expected =
          retry <= 10 ? Duration.ofSeconds(60) : retry <= 19 ? Duration.ofSeconds(600) : h(1);
      assertThat(gap(w, retry)).as("delay before retry %d", retry).isEqualTo(expected);
    }
    assertThat(gap(w, 10)).isEqualTo(Duration.ofMinutes(1));
    assertThat(gap(w, 11)).isEqualTo(Duration.ofMinutes(10));
    assertThat(gap(w, 19)).isEqualTo(Duration.ofMinutes(10));
    assertThat(gap(w, 20)).isEqualTo(h(1));
    assertThat(w.starts().get(10)).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(w.starts().get(19)).isEqualTo(T0.plus(Duration.ofMinutes(100)));
    assertThat(w.starts().get(89)).isEqualTo(T0.plus(Duration.ofMinutes(100)).plus(h(70)));
    assertThat(w.end())
        .isEqualTo(
            new DeliveryProgress(
                DeliveryPhase.Exhausted,
                90,
                T0,
                null,
                T0.plus(Duration.ofHours(71).plusMinutes(40))));
  }

  @Test
  void seed002_recoveringMidwayIsASuccess() {
    Walk w =
        walk(
            policy(List.of("60s x10", "600s x9", "1h x70"), null),
            Duration.ZERO,
            n ->
                n < 25
                    ? AttemptOutcome.failure(ErrorClass.Http5xx, 500, null)
                    : AttemptOutcome.success(200));

    // attempt 25 is retry 24: 10 min + 90 min + 5 h
    assertThat(w.end())
        .isEqualTo(
            new DeliveryProgress(
                DeliveryPhase.Succeeded,
                25,
                T0,
                null,
                T0.plus(Duration.ofMinutes(100)).plus(h(5))));
  }

  // --- seed 003 (and Herald's default): 1m 5m 30m 2h 12h 24h 48h 72h, 410 stops at once

  @Test
  void seed003_theDefaultScheduleIsNineAttempts() {
    RetryPolicy policy = RetryPolicy.from(null);

    Walk w = alwaysFailing(policy);

    assertThat(policy.maxAttempts()).isEqualTo(9);
    Duration m36 = Duration.ofMinutes(36);
    assertThat(w.starts())
        .isEqualTo(
            at(
                Duration.ZERO,
                Duration.ofMinutes(1),
                Duration.ofMinutes(6),
                m36,
                m36.plus(h(2)),
                m36.plus(h(14)),
                m36.plus(h(38)),
                m36.plus(h(86)),
                m36.plus(h(158))));
    assertThat(w.end())
        .isEqualTo(
            new DeliveryProgress(DeliveryPhase.Exhausted, 9, T0, null, T0.plus(m36.plus(h(158)))));
  }

  @Test
  void seed003_spelledOutInTheSpecIsTheSameAsTheDefault() {
    RetrySpec spec = new RetrySpec();
    spec.setSchedule(List.of("1m", "5m", "30m", "2h", "12h", "24h", "48h", "72h"));

    assertThat(RetryPolicy.from(spec)).isEqualTo(RetryPolicy.from(null));
    assertThat(alwaysFailing(RetryPolicy.from(spec)))
        .isEqualTo(alwaysFailing(RetryPolicy.from(null)));
  }

  @Test
  void seed003_goneStopsWithRetriesLeft() {
    Walk w =
        walk(
            RetryPolicy.from(null),
            Duration.ZERO,
            n ->
                n < 3
                    ? AttemptOutcome.failure(ErrorClass.Http5xx, 503, null)
                    : AttemptOutcome.failure(ErrorClass.Gone, 410, null));

    assertThat(w.starts())
        .isEqualTo(at(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(6)));
    assertThat(w.end())
        .isEqualTo(
            new DeliveryProgress(
                DeliveryPhase.Exhausted, 3, T0, null, T0.plus(Duration.ofMinutes(6))));
  }

  @Test
  void seed003_replayAfterExhaustionRunsTheWholeScheduleAgain() {
    Walk first = alwaysFailing(RetryPolicy.from(null));
    assertThat(first.end().phase()).isEqualTo(DeliveryPhase.Exhausted);

    DeliveryProgress replayed = DeliveryStateMachine.replay();

    assertThat(replayed).isEqualTo(DeliveryProgress.initial());
    assertThat(DeliveryStateMachine.isDue(replayed, first.end().completionTime())).isTrue();
    assertThat(alwaysFailing(RetryPolicy.from(null))).isEqualTo(first);
  }
}
