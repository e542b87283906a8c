package dev.herald.retry;

import static dev.herald.retry.DeliveryStateMachine.afterAttempt;
import static dev.herald.retry.Fixtures.HTTP_500;
import static dev.herald.retry.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.DeliveryPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** retry.jitter: a reproducible spread of each scheduled delay, within its bound. */
class JitterTest {
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  private static RetryPolicy jittered(List<String> schedule, String maxAge, int percent) {
    RetryPolicy p = Fixtures.policy(schedule, maxAge);
    return new RetryPolicy(p.schedule(), p.maxAge(), percent, null, null);
  }

  @Test
  void staysWithinPlusOrMinusTheBoundOverManyDeliveries() {
    Duration low = TEN_MINUTES.minus(TEN_MINUTES.multipliedBy(20).dividedBy(100));
    Duration high = TEN_MINUTES.plus(TEN_MINUTES.multipliedBy(20).dividedBy(100));
    for (int i = 0; i < 10_000; i++) {
      Duration d = Jitter.spread(TEN_MINUTES, 20, "msg_" + i, 1 + i % 9);
      assertThat(d).isBetween(low, high);
    }
  }

  @Test
  void spreadsOverTheWholeRangeBothWays() {
    double[] units =
        IntStream.range(0, 10_000).mapToDouble(i -> Jitter.unit("msg_" + i, 3)).toArray();
    double mean = Arrays.stream(units).average().orElseThrow();
    assertThat(mean)
        .as("centred: the schedule's total stays about the same")
        .isBetween(-0.05, 0.05);
    assertThat(Arrays.stream(units).min().orElseThrow()).isLessThan(-0.99);
    assertThat(Arrays.stream(units).max().orElseThrow()).isGreaterThan(0.99);
    for (double u : units) {
      assertThat(u).isGreaterThanOrEqualTo(-1).isLessThan(1);
    }
  }

  /**
   * The pinned value was computed outside Java (Python's hashlib): the first 8 bytes of
   * SHA-256("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W\n3"), top 53 bits as a fraction f, 2f - 1 =
   * -0.16617..., so 10m - 0.166 x 20% x 10m = 580,059 ms.
   */
  @Test
  void isAPureFunctionOfWebhookIdAndRetryNumber() {
    assertThat(Jitter.spread(TEN_MINUTES, 20, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 3))
        .as("pinned: the same id and retry number give the same delay on every run")
        .isEqualTo(Jitter.spread(TEN_MINUTES, 20, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 3))
        .isEqualTo(Duration.ofMillis(580_059));
    assertThat(Jitter.spread(TEN_MINUTES, 20, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 4))
        .as("another retry of the same delivery")
        .isNotEqualTo(Jitter.spread(TEN_MINUTES, 20, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 3));
  }

  @Test
  void tenDeliveriesFailingTogetherGetTenDifferentTimes() {
    RetryPolicy policy = jittered(List.of("1m"), null, 20);
    Set<Instant> next = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      next.add(
          afterAttempt("evt_" + i, DeliveryProgress.initial(), HTTP_500, policy, T0, T0)
              .nextAttemptTime());
    }
    assertThat(next)
        .hasSize(10)
        .allSatisfy(t -> assertThat(t).isBetween(T0.plusSeconds(48), T0.plusSeconds(72)));
  }

  @Test
  void aCrashAndTheSameAttemptDecidedAgainGiveTheSameTime() {
    RetryPolicy policy = jittered(List.of("1m", "5m"), null, 50);
    DeliveryProgress before = Fixtures.failed(1, T0, T0.plusSeconds(60));
    Instant start = T0.plusSeconds(61);

    assertThat(afterAttempt("evt_1", before, HTTP_500, policy, start, start))
        .isEqualTo(afterAttempt("evt_1", before, HTTP_500, policy, start, start));
  }

  @Test
  void zeroPercentIsTheScheduleExactly() {
    assertThat(Jitter.spread(Duration.ofNanos(60_000_000_001L), 0, "x", 1))
        .isEqualTo(Duration.ofNanos(60_000_000_001L));
    assertThat(
            afterAttempt(
                    "x",
                    DeliveryProgress.initial(),
                    HTTP_500,
                    jittered(List.of("1m"), null, 0),
                    T0,
                    T0)
                .nextAttemptTime())
        .isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void neverShortensADelayBelowTheSchedulesFloor() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(Jitter.spread(Duration.ofSeconds(1), 50, "msg_" + i, 1))
          .isBetween(RetrySchedule.MIN_DELAY, Duration.ofMillis(1_500));
    }
  }

  @Test
  void neverPushesAnAttemptPastMaxAgeNorCostsARetry() {
    // 30m + 30m = maxAge exactly: without jitter the second retry starts at the deadline.
    RetryPolicy policy = jittered(List.of("30m x10"), "1h", 50);
    Instant start = T0.plus(Duration.ofMinutes(30));
    int later = 0;
    for (int i = 0; i < 200; i++) {
      DeliveryProgress p =
          afterAttempt("msg_" + i, Fixtures.failed(1, T0, start), HTTP_500, policy, start, start);
      assertThat(p.phase())
          .as("a retry the schedule makes is kept")
          .isEqualTo(DeliveryPhase.Failed);
      assertThat(p.nextAttemptTime())
          .isBetween(start.plus(Duration.ofMinutes(15)), T0.plus(Duration.ofHours(1)));
      if (p.nextAttemptTime().equals(T0.plus(Duration.ofHours(1)))) {
        later++;
      }
    }
    assertThat(later).as("spreads that went later were capped at maxAge").isPositive();
  }

  @Test
  void aRetryPastMaxAgeWithoutJitterStillExhausts() {
    RetryPolicy policy = jittered(List.of("30m x10"), "1h", 50);
    Instant start = T0.plus(Duration.ofMinutes(30));
    for (int i = 0; i < 50; i++) {
      DeliveryProgress p =
          afterAttempt(
              "msg_" + i,
              Fixtures.failed(1, T0, start),
              HTTP_500,
              policy,
              start,
              start.plusNanos(1));
      assertThat(p.phase())
          .as("an early spread does not revive a retry the schedule would not make")
          .isEqualTo(DeliveryPhase.Exhausted);
    }
  }

  @Test
  void refusesAPercentageOutsideItsBounds() {
    assertThatThrownBy(() -> Jitter.spread(TEN_MINUTES, 101, "x", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(RetrySchedule.DEFAULT, null, 51, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 to 50");
  }
}
