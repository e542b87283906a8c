package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PlateauTest {
  private static List<Plateau.Point> sampled(DoubleUnaryOperator f) {
    return IntStream.range(0, 60)
        .mapToObj(i -> new Plateau.Point(i * 5.0, f.applyAsDouble(i * 5.0)))
        .toList();
  }

  @Test
  void steadyGrowthIsNoPlateau() {
    Plateau.Verdict v = Plateau.judge(sampled(t -> 100 + 25 * t));
    assertThat(v.plateau()).isFalse();
    assertThat(v.firstSlope()).isCloseTo(25.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(v.lastSlope()).isCloseTo(25.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void growthThatStopsIsAPlateau() {
    // retention caps the objects at 5,000 after 200 s at 25 a second
    Plateau.Verdict v = Plateau.judge(sampled(t -> Math.min(5_000, 25 * t)));
    assertThat(v.plateau()).isTrue();
    assertThat(v.lastSlope()).isZero();
  }

  @Test
  void aFlatSeriesIsAPlateauThoughItsFirstSlopeIsZero() {
    Plateau.Verdict v = Plateau.judge(sampled(t -> 200e6 + (t % 10 == 0 ? 1e6 : -1e6)));
    assertThat(v.plateau()).isTrue();
  }

  @Test
  void slowerGrowthAtTheEndIsStillGrowthWhenItIsMoreThanAQuarter() {
    // a square root slows down but never stops: the last third still at about half the first's
    // slope
    Plateau.Verdict v = Plateau.judge(sampled(t -> 1000 * Math.sqrt(t + 1)));
    assertThat(v.plateau()).isFalse();
  }

  @Test
  void tooFewSamplesCannotTell() {
    Plateau.Verdict v = Plateau.judge(sampled(t -> t).subList(0, 4));
    assertThat(v.plateau()).isFalse();
    assertThat(v.why()).contains("too few");
  }
}
