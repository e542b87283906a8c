package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatsTest {
  private static final List<Double> ONE_TO_HUNDRED =
      IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();

  @Test
  void nearestRankPercentiles() {
    assertThat(Stats.percentile(ONE_TO_HUNDRED, 50)).isEqualTo(50.0);
    assertThat(Stats.percentile(ONE_TO_HUNDRED, 95)).isEqualTo(95.0);
    assertThat(Stats.percentile(ONE_TO_HUNDRED, 99)).isEqualTo(99.0);
    assertThat(Stats.percentile(List.of(7.0), 99)).isEqualTo(7.0);
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
  }

  @Test
  void noSamplesIsNaN() {
    assertThat(Stats.percentile(List.of(), 50)).isNaN();
    assertThat(Stats.median(List.of())).isNaN();
  }
}
