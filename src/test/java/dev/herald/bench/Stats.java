package dev.herald.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Percentiles and medians by the nearest-rank method: simple, and exact on the samples taken. */
final class Stats {
  private Stats() {}

  static double percentile(Collection<Double> samples, double p) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(samples);
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  static double median(Collection<Double> samples) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(samples);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String fmt(double value, int decimals) {
    return Double.isNaN(value) ? "n/a" : String.format("%." + decimals + "f", value);
  }

  static String mib(long bytes) {
    return bytes < 0 ? "n/a" : String.format("%.1f MiB", bytes / 1024.0 / 1024.0);
  }
}
