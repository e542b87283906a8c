package dev.herald.bench;

import java.util.List;

/**
 * Whether a series sampled over time levels off: the slope (least squares) of its last third
 * against that of its first third, and its last third's peak against the middle third's. A
 * footprint that grows at the end as fast as at the start is unbounded; one that grew and then
 * stopped, or never grew, has reached its plateau; one that saws up and down (a budget or a
 * compaction cutting it back now and then) is bounded when its peaks no longer rise, whatever slope
 * the last third happens to cut through a tooth.
 */
final class Plateau {
  /**
   * The last third may still grow at this share of the first third's slope and count as levelled
   * off.
   */
  static final double SLOPE_RATIO = 0.25;

  /**
   * Growth over the last third below this share of its mean counts as flat, whatever the first
   * third did (a series that was flat from the start, or noise around a level).
   */
  static final double FLAT_SHARE = 0.05;

  /** A sample: seconds since the start, value. */
  record Point(double t, double value) {}

  /**
   * The judgement: slopes in units a second, the last third's growth as a share of its mean, and
   * whether that is a plateau ({@code plateau} is false when there are too few samples to tell).
   */
  record Verdict(
      double firstSlope, double lastSlope, double lastGrowthShare, boolean plateau, String why) {}

  private Plateau() {}

  static Verdict judge(List<Point> points) {
    if (points.size() < 6) {
      return new Verdict(
          Double.NaN, Double.NaN, Double.NaN, false, "too few samples (" + points.size() + ")");
    }
    int third = points.size() / 3;
    List<Point> first = points.subList(0, third);
    List<Point> last = points.subList(points.size() - third, points.size());
    double firstSlope = slope(first);
    double lastSlope = slope(last);
    double span = last.get(last.size() - 1).t() - last.get(0).t();
    double mean = last.stream().mapToDouble(Point::value).average().orElse(0);
    double growth = lastSlope * span;
    double share = mean == 0 ? (growth == 0 ? 0 : Double.POSITIVE_INFINITY) : growth / mean;
    if (Math.abs(share) <= FLAT_SHARE) {
      return new Verdict(
          firstSlope,
          lastSlope,
          share,
          true,
          "last third grew " + pct(share) + " of its mean (flat: within " + pct(FLAT_SHARE) + ")");
    }
    double middlePeak = peak(points.subList(third, points.size() - third));
    double lastPeak = peak(last);
    if (middlePeak > 0 && lastPeak <= (1 + FLAT_SHARE) * middlePeak) {
      return new Verdict(
          firstSlope,
          lastSlope,
          share,
          true,
          "peaks no longer rise: the last third's peak is "
              + pct(lastPeak / middlePeak)
              + " of the middle third's (<= "
              + pct(1 + FLAT_SHARE)
              + "); last third's slope "
              + (lastSlope < 0 ? "falling" : "rising")
              + " through "
              + pct(Math.abs(share))
              + " of its mean");
    }
    // a last third that falls, but from a peak above the middle third's, only cut through a tooth
    // of a series still rising
    if (firstSlope > 0 && lastSlope >= 0 && lastSlope <= SLOPE_RATIO * firstSlope) {
      return new Verdict(
          firstSlope,
          lastSlope,
          share,
          true,
          "last third's slope is "
              + pct(lastSlope / firstSlope)
              + " of the first third's (<= "
              + pct(SLOPE_RATIO)
              + ")");
    }
    return new Verdict(
        firstSlope,
        lastSlope,
        share,
        false,
        "still growing: last third grew "
            + pct(share)
            + " of its mean"
            + (firstSlope > 0
                ? ", at " + pct(lastSlope / firstSlope) + " of the first third's slope"
                : ""));
  }

  private static double peak(List<Point> points) {
    return points.stream().mapToDouble(Point::value).max().orElse(0);
  }

  /** Least-squares slope of value over t. */
  static double slope(List<Point> points) {
    double mt = points.stream().mapToDouble(Point::t).average().orElse(0);
    double mv = points.stream().mapToDouble(Point::value).average().orElse(0);
    double num = 0;
    double den = 0;
    for (Point p : points) {
      num += (p.t() - mt) * (p.value() - mv);
      den += (p.t() - mt) * (p.t() - mt);
    }
    return den == 0 ? 0 : num / den;
  }

  private static String pct(double share) {
    return Double.isInfinite(share) ? "inf" : Math.round(share * 100) + "%";
  }
}
