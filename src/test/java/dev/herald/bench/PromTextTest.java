package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromTextTest {
  private static final String SCRAPE =
      """
      # HELP herald_kube_api_requests_total API requests
      # TYPE herald_kube_api_requests_total counter
      herald_kube_api_requests_total{verb="create",resource="webhookdeliveries"} 3.0
      herald_kube_api_requests_total{verb="patch",resource="webhookdeliveries"} 4.0
      herald_kube_api_requests_total_created 1.7E9
      jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 1048576.0
      jvm_memory_used_bytes{area="heap",id="Eden Space"} 1048576.0
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
      apiserver_request_total 12
      """;

  @Test
  void sumsEverySeriesOfOneMetricAndNoLongerName() {
    assertThat(PromText.sum(SCRAPE, "herald_kube_api_requests_total", "")).isEqualTo(7.0);
  }

  @Test
  void filtersByLabel() {
    assertThat(PromText.sum(SCRAPE, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(2097152.0);
  }

  @Test
  void readsSeriesWithoutLabels() {
    assertThat(PromText.sum(SCRAPE, "apiserver_request_total", "")).isEqualTo(12.0);
  }

  @Test
  void listsEachSeriesByItsLabels() {
    assertThat(PromText.series(SCRAPE, "herald_kube_api_requests_total"))
        .containsExactly(
            Map.entry("{verb=\"create\",resource=\"webhookdeliveries\"}", 3.0),
            Map.entry("{verb=\"patch\",resource=\"webhookdeliveries\"}", 4.0));
  }

  @Test
  void aMissingMetricIsNaNNotZero() {
    assertThat(PromText.sum(SCRAPE, "herald_missing_total", "")).isNaN();
  }
}
