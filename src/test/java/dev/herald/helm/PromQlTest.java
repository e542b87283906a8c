package dev.herald.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {
  @Test
  void findsTheMetricsAndNothingElse() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, stage) (rate(a_seconds_bucket{namespace=~\"$namespace\","
                    + " x=\"y{z}\"}[$__rate_interval])))"))
        .containsExactly("a_seconds_bucket");
    assertThat(PromQl.metricNames("max by (ns) (b) > 0 and on (ns) c_total offset 5m"))
        .containsExactly("b", "c_total");
    assertThat(PromQl.metricNames("increase(d_total[1h]) > 1e3")).containsExactly("d_total");
    assertThat(PromQl.metricNames("label_values(e_total{ns=~\"$ns\"}, endpoint)"))
        .contains("e_total");
  }
}
