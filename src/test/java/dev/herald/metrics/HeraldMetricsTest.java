package dev.herald.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeraldMetricsTest {
  @Test
  void theOperatorRegistryExposesHeapUsed() {
    assertThat(HeraldMetrics.prometheus().scrape()).contains("jvm_memory_used_bytes{area=\"heap\"");
  }
}
