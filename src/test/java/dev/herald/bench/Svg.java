package dev.herald.bench;

import java.util.List;
import java.util.Locale;

/**
 * Line charts as SVG, enough for the report's figures: one or more panels stacked, each with its
 * axes, ticks, a legend and one line per series. Written by hand because the bench needs nothing
 * more than polylines and text.
 */
final class Svg {
  static final int WIDTH = 760;
  static final int PANEL_HEIGHT = 300;
  private static final int LEFT = 70;
  private static final int RIGHT = 170;
  private static final int TOP = 36;
  private static final int BOTTOM = 44;
  private static final String[] COLOURS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"
  };

  /** One line: its name in the legend and its points (x, y); NaN or infinite points are skipped. */
  record Series(String name, List<double[]> points) {}

  /** One panel: a title, axis labels and its lines. */
  record Chart(String title, String xLabel, String yLabel, List<Series> series) {}

  private Svg() {}

  /** The panels one above the other, in one SVG document. */
  static String render(List<Chart> charts) {
    int height = PANEL_HEIGHT * Math.max(1, charts.size());
    StringBuilder svg = new StringBuilder();
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" font-family=\"sans-serif\" font-size=\"11\">\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    for (int i = 0; i < charts.size(); i++) {
      panel(svg, charts.get(i), i * PANEL_HEIGHT);
    }
    return svg.append("</svg>\n").toString();
  }

  private static void panel(StringBuilder svg, Chart chart, int y0) {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = 0;
    for (Series s : chart.series()) {
      for (double[] p : s.points()) {
        if (finite(p)) {
          minX = Math.min(minX, p[0]);
          maxX = Math.max(maxX, p[0]);
          maxY = Math.max(maxY, p[1]);
        }
      }
    }
    if (minX > maxX) {
      minX = 0;
      maxX = 1;
    }
    // both axes start at zero when the data allow: a rate or a time, read against nothing
    minX = Math.min(0, minX);
    if (minX == maxX) {
      maxX = minX + 1;
    }
    double top = niceCeiling(maxY);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = PANEL_HEIGHT - TOP - BOTTOM;
    int px = LEFT;
    int py = y0 + TOP;
    svg.append("<g>\n");
    text(svg, LEFT, y0 + 20, "start", "bold", chart.title());
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
            px,
            py,
            plotW,
            plotH));
    for (int t = 0; t <= 4; t++) {
      double v = top * t / 4;
      double yy = py + plotH - plotH * t / 4.0;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
              px,
              yy,
              px + plotW,
              yy));
      text(svg, px - 6, yy + 4, "end", null, number(v));
      double xv = minX + (maxX - minX) * t / 4;
      double xx = px + plotW * t / 4.0;
      text(svg, xx, py + plotH + 16, "middle", null, number(xv));
    }
    text(svg, px + plotW / 2.0, py + plotH + 34, "middle", null, chart.xLabel());
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">%s</text>%n",
            py + plotH / 2.0,
            py + plotH / 2.0,
            escape(chart.yLabel())));
    for (int i = 0; i < chart.series().size(); i++) {
      Series s = chart.series().get(i);
      String colour = COLOURS[i % COLOURS.length];
      StringBuilder points = new StringBuilder();
      for (double[] p : s.points()) {
        if (finite(p)) {
          double xx = px + plotW * (p[0] - minX) / (maxX - minX);
          double yy = py + plotH - plotH * Math.min(p[1], top) / top;
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xx, yy));
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"/>%n",
                  xx,
                  yy,
                  colour));
        }
      }
      svg.append("<polyline fill=\"none\" stroke=\"")
          .append(colour)
          .append("\" stroke-width=\"1.5\" points=\"")
          .append(points.toString().trim())
          .append("\"/>\n");
      double ly = py + 14 + i * 16;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
              px + plotW + 10,
              ly - 4,
              px + plotW + 28,
              ly - 4,
              colour));
      text(svg, px + plotW + 32, ly, "start", null, s.name());
    }
    svg.append("</g>\n");
  }

  private static boolean finite(double[] p) {
    return Double.isFinite(p[0]) && Double.isFinite(p[1]);
  }

  /** 1, 2 or 5 times a power of ten, at least {@code value} (and at least 1). */
  static double niceCeiling(double value) {
    if (!(value > 0)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9
        ? String.valueOf((long) v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  private static void text(
      StringBuilder svg, double x, double y, String anchor, String weight, String content) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n",
            x,
            y,
            anchor,
            weight == null ? "" : " font-weight=\"" + weight + "\"",
            escape(content)));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
