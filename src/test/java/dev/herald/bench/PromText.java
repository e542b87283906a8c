package dev.herald.bench;

import java.util.Map;
import java.util.TreeMap;

/** Reads sums out of the Prometheus text format, enough for counters and gauges. */
final class PromText {
  private PromText() {}

  /**
   * Sum of every series of {@code metric} whose label set contains {@code labelFilter} (e.g. {@code
   * area="heap"}; empty for all); NaN when there is no such series.
   */
  static double sum(String text, String metric, String labelFilter) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(metric)) {
        continue;
      }
      int end = metric.length();
      if (line.length() == end || (line.charAt(end) != '{' && line.charAt(end) != ' ')) {
        continue; // a longer name with the same prefix
      }
      String labels =
          line.charAt(end) == '{' ? line.substring(end, line.indexOf('}', end) + 1) : "";
      if (!labelFilter.isEmpty() && !labels.contains(labelFilter)) {
        continue;
      }
      String[] parts = line.substring(end + labels.length()).trim().split("\\s+");
      try {
        sum += Double.parseDouble(parts[0]);
        found = true;
      } catch (NumberFormatException e) {
        // not a sample line
      }
    }
    return found ? sum : Double.NaN;
  }

  /**
   * Every series of {@code metric}: its label set (e.g. {@code {verb="get",resource="secrets"}}) to
   * its value.
   */
  static Map<String, Double> series(String text, String metric) {
    Map<String, Double> series = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#")
          || !line.startsWith(metric)
          || line.length() == metric.length()
          || (line.charAt(metric.length()) != '{' && line.charAt(metric.length()) != ' ')) {
        continue;
      }
      int end = metric.length();
      String labels =
          line.charAt(end) == '{' ? line.substring(end, line.indexOf('}', end) + 1) : "";
      try {
        series.merge(
            labels,
            Double.parseDouble(line.substring(end + labels.length()).trim().split("\\s+")[0]),
            Double::sum);
      } catch (NumberFormatException e) {
        // not a sample line
      }
    }
    return series;
  }
}
