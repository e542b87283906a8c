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
  void aSawtoothCutBackByABudgetIsBoundedWhateverSlopeItsLastThirdCutsThrough() {
    // up 10 a second from 1,000, cut back to 1,000 every 90 s: the last third ends mid-fall
    Plateau.Verdict v = Plateau.judge(sampled(t -> 1_000 + 10 * (t % 90)));
    assertThat(v.plateau()).isTrue();
    assertThat(v.why()).contains("peaks no longer rise");
  }

  @Test
  void aSawtoothWhosePeaksKeepRisingIsNoPlateau() {
    Plateau.Verdict v = Plateau.judge(sampled(t -> 1_000 + 10 * t + 200 * ((t % 60) / 60)));
    assertThat(v.plateau()).isFalse();
  }

  @Test
  void aFallFromANewPeakIsNoPlateau() {
    // grows 300 s, then a compaction cuts it back in the last third: still above every earlier peak
    Plateau.Verdict v =
        Plateau.judge(
            sampled(t -> t < 250 ? 10 * t : 2_500 + 4 * (t - 250) - (t > 270 ? 1_500 : 0)));
    assertThat(v.plateau()).isFalse();
  }

  @Test
  void aSteepFallIsNotCalledFlat() {
    Plateau.Verdict v = Plateau.judge(sampled(t -> 2_000 - 2 * t));
    assertThat(v.why()).doesNotContain("flat");
    assertThat(v.plateau()).as("bounded: it never rises above where it was").isTrue();
  }

  @Test
  void tooFewSamplesCannotTell() {
    Plateau.Verdict v = Plateau.judge(sampled(t -> t).subList(0, 4));
    assertThat(v.plateau()).isFalse();
    assertThat(v.why()).contains("too few");
  }
}
