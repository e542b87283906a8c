package dev.herald.bench;

import dev.herald.testing.OperatorProcess;
import java.util.List;
import java.util.Map;

/**
 * API requests the operator made during a measure. Preferred source: the operator's own counter
 * {@code herald_kube_api_requests_total} (all series summed). Fallback when the jar does not expose
 * it: the API server's {@code apiserver_request_total} minus the bench's own requests, which also
 * counts anything else using the same API server at the time.
 */
final class ApiCount {
  static final String OPERATOR_COUNTER = "herald_kube_api_requests_total";

  private final String source;
  private final double value;
  private final Map<String, Double> series;
  private final String metrics;

  private ApiCount(String source, double value, Map<String, Double> series, String metrics) {
    this.source = source;
    this.value = value;
    this.series = series;
    this.metrics = metrics;
  }

  static ApiCount take(OperatorProcess operator, Cluster cluster) {
    String metrics = operator.metrics();
    double own = PromText.sum(metrics, OPERATOR_COUNTER, "");
    if (!Double.isNaN(own)) {
      return new ApiCount("operator", own, PromText.series(metrics, OPERATOR_COUNTER), metrics);
    }
    long bench = cluster.requests();
    try {
      double server = PromText.sum(cluster.client.raw("/metrics"), "apiserver_request_total", "");
      return new ApiCount("apiserver", server - bench, Map.of(), metrics);
    } catch (RuntimeException e) {
      return new ApiCount("none", Double.NaN, Map.of(), metrics);
    }
  }

  /** The operator's whole /metrics text when this was taken. */
  String metrics() {
    return metrics;
  }

  /** Where the figure comes from, for the report. */
  String source() {
    return switch (source) {
      case "operator" ->
          "the operator's own counter "
              + OPERATOR_COUNTER
              + " (all series summed), before/after each run";
      case "apiserver" ->
          "approximation: the API server's apiserver_request_total minus the bench's own requests"
              + " (the operator does not expose "
              + OPERATOR_COUNTER
              + "; other clients of the same API server count too)";
      default -> "n/a (neither the operator counter nor the API server's /metrics could be read)";
    };
  }

  /**
   * Per delivery, by series (verb and resource), the largest first; empty unless the operator's
   * counter is the source: this is where to look when the total is high.
   */
  List<String> breakdown(ApiCount before, int deliveries, int top) {
    return series.entrySet().stream()
        .map(
            e ->
                Map.entry(
                    e.getKey(),
                    (e.getValue() - before.series.getOrDefault(e.getKey(), 0.0)) / deliveries))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(top)
        .map(e -> Stats.fmt(e.getValue(), 2) + " " + e.getKey())
        .toList();
  }

  /** Requests between {@code before} and this, per delivery; NaN when unknown. */
  double perDelivery(ApiCount before, int deliveries) {
    return source.equals(before.source) ? (value - before.value) / deliveries : Double.NaN;
  }
}
