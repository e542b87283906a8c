package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.Pacing.Allowed;
import dev.herald.delivery.Pacing.WaitUntil;
import dev.herald.endpoint.RateLimit;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pacing decision alone: state and clock in, allowed or when. */
class PacingTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static RateLimit limit(int requests, String per, int burst) {
    return new RateLimit(requests, dev.herald.retry.Durations.parse(per), burst);
  }

  @Test
  void aFullBucketLetsTheBurstGoAtOnceThenOneEveryInterval() {
    RateLimit fivePerSecond = limit(5, "1s", 3);
    Instant tat = null;
    for (int i = 0; i < 3; i++) {
      var d = Pacing.decide(tat, fivePerSecond, T0);
      assertThat(d).as("request %d of the burst", i + 1).isInstanceOf(Allowed.class);
      tat = ((Allowed) d).next();
    }
    var fourth = Pacing.decide(tat, fivePerSecond, T0);
    assertThat(fourth).isEqualTo(new WaitUntil(T0.plusMillis(200)));
    assertThat(Pacing.decide(tat, fivePerSecond, T0.plusMillis(199))).isInstanceOf(WaitUntil.class);
    assertThat(Pacing.decide(tat, fivePerSecond, T0.plusMillis(200))).isInstanceOf(Allowed.class);
  }

  @Test
  void overALongRunTheRateHoldsAndNeverMoreThanTheBurstGoesAtOnce() {
    RateLimit limit = limit(5, "1s", 5);
    Instant tat = null;
    Instant now = T0;
    int sent = 0;
    // ask every 10 ms for 60 s: a greedy sender
    for (int step = 0; step < 6000; step++) {
      if (Pacing.decide(tat, limit, now) instanceof Allowed a) {
        tat = a.next();
        sent++;
      }
      now = now.plusMillis(10);
    }
    assertThat(sent).isBetween(5 * 60, 5 * 60 + 5); // the rate, plus the first burst at most
  }

  @Test
  void aQuietSpellRefillsTheBucketButNoFurtherThanTheBurst() {
    RateLimit limit = limit(1, "1s", 2);
    Instant tat = ((Allowed) Pacing.decide(null, limit, T0)).next();
    Instant later = T0.plusSeconds(3600);
    tat = ((Allowed) Pacing.decide(tat, limit, later)).next();
    tat = ((Allowed) Pacing.decide(tat, limit, later)).next();
    assertThat(Pacing.decide(tat, limit, later)).isEqualTo(new WaitUntil(later.plusSeconds(1)));
  }

  @Test
  void slowRatesAndFractionalIntervals() {
    RateLimit threePerMinute = limit(3, "1m", 1);
    assertThat(threePerMinute.interval()).isEqualTo(Duration.ofSeconds(20));
    Instant tat = ((Allowed) Pacing.decide(null, threePerMinute, T0)).next();
    assertThat(Pacing.decide(tat, threePerMinute, T0.plusSeconds(1)))
        .isEqualTo(new WaitUntil(T0.plusSeconds(20)));
    RateLimit threePerSecond = limit(3, "1s", 1);
    assertThat(threePerSecond.interval()).isEqualTo(Duration.ofNanos(333_333_333));
  }

  @Test
  void theTurnOfTheNthWaiterIsOneIntervalApart() {
    RateLimit limit = limit(5, "1s", 1);
    Instant tat = T0.plusMillis(200); // one just went at T0
    assertThat(Pacing.turnOf(tat, limit, T0, 0)).isEqualTo(T0.plusMillis(200));
    assertThat(Pacing.turnOf(tat, limit, T0, 4)).isEqualTo(T0.plusMillis(1000));
    assertThat(Pacing.turnOf(null, limit, T0, 0)).isEqualTo(T0);
  }
}
