package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuCostTest {
  @Test
  void ticksBecomeMillisecondsPerUnitAndAnUnseenProcessIsNaN() {
    var before = new CpuCost.Snapshot(Map.of("operator", 1000L, "apiserver", 500L, "etcd", -1L));
    var after = new CpuCost.Snapshot(Map.of("operator", 1400L, "apiserver", 600L, "etcd", -1L));
    Map<String, Double> ms = CpuCost.msPer(before, after, 200);
    // 400 ticks of 10 ms over 200 deliveries
    assertThat(ms).containsEntry("operator", 20.0).containsEntry("apiserver", 5.0);
    assertThat(ms.get("etcd")).isNaN();
    assertThat(CpuCost.describe(ms)).startsWith("operator 20.00 [target <= 4: FAIL]");
  }

  @Test
  void aProcessThatRestartedMeanwhileIsNaNNotANegativeCost() {
    var before = new CpuCost.Snapshot(Map.of("operator", 1000L));
    var after = new CpuCost.Snapshot(Map.of("operator", 10L));
    assertThat(CpuCost.msPer(before, after, 10).get("operator")).isNaN();
  }

  @Test
  void theTargetIsJudgedAtFourMilliseconds() {
    assertThat(CpuCost.describe(Map.of("operator", 3.9))).contains("PASS");
    assertThat(Target.atLeast(Double.NaN, 5)).isEqualTo("n/a");
  }
}
