package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PacedTest {
  @Test
  void theScheduleIsFixedByTheRateAlone() {
    assertThat(Paced.schedule(1_000, 4, 4))
        .containsExactly(1_000, 250_001_000, 500_001_000, 750_001_000);
  }

  @Test
  void aLateCreateCountsFromItsIntendedTime() {
    // the second create went out 900 ms late and its POST arrived 100 ms after that: 1000 ms, not
    // the 100 ms a closed-loop bench would record from the actual send
    long[] intended = Paced.schedule(0, 1, 2);
    Map<String, Long> arrivals = Map.of("a", 50_000_000L, "b", 1_000_000_000L + 1_000_000_000L);
    Paced.Latencies l = Paced.fromIntended(List.of("a", "b"), intended, arrivals, 0);
    assertThat(l.ms()).containsExactly(50.0, 1000.0);
    assertThat(l.missing()).isZero();
  }

  @Test
  void aPostThatNeverArrivedCountsAsArrivingAtTheCutOff() {
    long[] intended = Paced.schedule(0, 10, 3);
    Map<String, Long> arrivals = Map.of("a", 10_000_000L, "c", 210_000_000L);
    Paced.Latencies l =
        Paced.fromIntended(List.of("a", "b", "c"), intended, arrivals, 5_100_000_000L);
    assertThat(l.ms()).containsExactly(10.0, 5000.0, 10.0);
    assertThat(l.missing()).isEqualTo(1);
    assertThat(Stats.percentile(l.ms(), 99)).isEqualTo(5000.0);
  }

  @Test
  void refusesANonPositiveRate() {
    assertThatThrownBy(() -> Paced.schedule(0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
