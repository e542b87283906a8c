package dev.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Prints the scenarios of {@link LoadScenarios} with the targets beside their figures, and
 * writes their charts beside the report.
 */
final class LoadReport {
  /** Paced load: p99 create -> POST at most 250 ms at 50% of capacity, 1 s at 80%. */
  static final Map<Double, Double> PACED_P99_TARGET_MS = Map.of(0.5, 250.0, 0.8, 1000.0);

  /** Fan-out: an event to 10 endpoints costs at most 3 API writes when all succeed. */
  static final double WRITES_PER_EVENT_TARGET = 3;

  /** Fan-out: POSTs/s through events at least 5x deliveries/s of direct creation. */
  static final double EVENT_SPEEDUP_TARGET = 5;

  /** Backlog: retries fire within 1 s of their nextAttemptTime at p99. */
  static final double RETRY_LATENESS_P99_TARGET_MS = 1000;

  private final Consumer<String> out;
  private final Path dir;
  private final List<String> charts = new ArrayList<>();

  LoadReport(Consumer<String> out, Path dir) {
    this.out = out;
    this.dir = dir;
  }

  private void out(String format, Object... args) {
    out.accept(String.format(format, args));
  }

  /** The chart files written so far. */
  List<String> charts() {
    return charts;
  }

  void paced(LoadScenarios.PacedResult r) {
    out("");
    out(
        "== 6. Paced load: deliveries created open loop at fixed shares of the capacity, over %d endpoints ==",
        r.endpoints());
    out(
        "   capacity = a burst of %d deliveries just before, same operator: %s deliveries/s (CPU ms/delivery: %s)",
        r.capacity().deliveries(),
        Stats.fmt(r.capacity().perSecond(), 1),
        CpuCost.describe(r.capacity().cpuMs()));
    out(
        "   idle CPU ms a second (5 s without deliveries, after the burst): operator %s, apiserver %s, etcd %s;"
            + " at low rates this fixed cost weighs on CPU ms/delivery",
        Stats.fmt(r.idleMsPerSecond().getOrDefault("operator", Double.NaN), 1),
        Stats.fmt(r.idleMsPerSecond().getOrDefault("apiserver", Double.NaN), 1),
        Stats.fmt(r.idleMsPerSecond().getOrDefault("etcd", Double.NaN), 1));
    out(
        "   latency = each create's intended send time (a fixed schedule) -> the POST arriving: a late create still counts from"
            + " when it was due; create lag = actual send - intended (the bench's own delay)");
    out(
        "%-8s %10s %10s %8s %8s %8s %9s %8s %13s %10s  %s",
        "share",
        "offered/s",
        "achieved/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "target",
        "result",
        "create lag p99",
        "missing",
        "CPU ms/delivery");
    for (LoadScenarios.PacedStep s : r.steps()) {
      Double target = PACED_P99_TARGET_MS.get(s.fraction());
      double p99 = Stats.percentile(s.latencies().ms(), 99);
      out(
          "%-8s %10s %10s %8s %8s %8s %9s %8s %13s %10s  %s",
          Math.round(s.fraction() * 100) + "%",
          Stats.fmt(s.offeredPerSecond(), 1),
          Stats.fmt(s.achievedPerSecond(), 1),
          Stats.fmt(Stats.percentile(s.latencies().ms(), 50), 0),
          Stats.fmt(Stats.percentile(s.latencies().ms(), 95), 0),
          Stats.fmt(p99, 0),
          target == null ? "-" : "<= " + Stats.fmt(target, 0),
          target == null ? "-" : Target.atMost(p99, target),
          Stats.fmt(Stats.percentile(s.createLagMs(), 99), 0) + " ms",
          s.latencies().missing()
              + (s.createFailures() > 0 ? " (" + s.createFailures() + " create errors)" : ""),
          CpuCost.describe(s.cpuMs()));
    }
    List<double[]> p50 = new ArrayList<>();
    List<double[]> p95 = new ArrayList<>();
    List<double[]> p99 = new ArrayList<>();
    for (LoadScenarios.PacedStep s : r.steps()) {
      p50.add(new double[] {s.offeredPerSecond(), Stats.percentile(s.latencies().ms(), 50)});
      p95.add(new double[] {s.offeredPerSecond(), Stats.percentile(s.latencies().ms(), 95)});
      p99.add(new double[] {s.offeredPerSecond(), Stats.percentile(s.latencies().ms(), 99)});
    }
    write(
        "paced.svg",
        List.of(
            new Svg.Chart(
                "Create -> POST latency against offered rate (capacity "
                    + Stats.fmt(r.capacity().perSecond(), 1)
                    + "/s)",
                "offered deliveries/s",
                "ms from intended send",
                List.of(
                    new Svg.Series("p50", p50),
                    new Svg.Series("p95", p95),
                    new Svg.Series("p99", p99)))));
  }

  void fanOut(List<LoadScenarios.FanOut> results) {
    out("");
    out(
        "== 7. Fan-out: WebhookEvents to N endpoints (every endpoint subscribed), beside direct creation in the same operator ==");
    out(
        "   POSTs/s = distinct (endpoint, webhook-id) POSTs answered 204 / (first event create -> last such POST);"
            + " direct = deliveries/s of a burst of deliveries created directly just before");
    out(
        "   API writes/event = the operator's herald_kube_api_requests_total with verb create/update/patch/delete/deletecollection,"
            + " from before the events to when its writes stopped (3 s still), per event");
    out(
        "%-9s %7s %12s %12s %10s %14s %8s %16s %8s  %s",
        "endpoints",
        "events",
        "POSTs",
        "POSTs/s",
        "direct/s",
        "events/direct",
        "result",
        "API writes/event",
        "result",
        "CPU ms/POST");
    for (LoadScenarios.FanOut f : results) {
      double speedup = f.postsPerSecond() / f.direct().perSecond();
      boolean judged = f.endpoints() == 10;
      out(
          "%-9d %7d %12s %12s %10s %14s %8s %16s %8s  %s",
          f.endpoints(),
          f.events(),
          f.posts() + "/" + f.expectedPosts() + (f.complete() ? "" : "!"),
          Stats.fmt(f.postsPerSecond(), 1),
          Stats.fmt(f.direct().perSecond(), 1),
          Stats.fmt(speedup, 2),
          judged ? Target.atLeast(speedup, EVENT_SPEEDUP_TARGET) : "-",
          Stats.fmt(f.writesPerEvent(), 2),
          judged ? Target.atMost(f.writesPerEvent(), WRITES_PER_EVENT_TARGET) : "-",
          CpuCost.describe(f.cpuMsPerPost()));
    }
    out(
        "   targets (at 10 endpoints): events/direct >= %s, API writes/event <= %s when all succeed; ! = not every POST arrived in --timeout",
        Stats.fmt(EVENT_SPEEDUP_TARGET, 0), Stats.fmt(WRITES_PER_EVENT_TARGET, 0));
    for (LoadScenarios.FanOut f : results) {
      if (!f.writesBreakdown().isEmpty()) {
        out(
            "   writes per event at %d endpoints: %s",
            f.endpoints(), String.join(", ", f.writesBreakdown()));
      }
      if (!Double.isNaN(f.readsPerEvent())) {
        out(
            "   reads (get, list) per event at %d endpoints: %s%s",
            f.endpoints(),
            Stats.fmt(f.readsPerEvent(), 2),
            f.readsBreakdown().isEmpty() ? "" : ": " + String.join(", ", f.readsBreakdown()));
      }
    }
  }

  void backlog(LoadScenarios.Backlog b) {
    double p50 = Stats.percentile(b.latenessMs(), 50);
    double p99 = Stats.percentile(b.latenessMs(), 99);
    long early = b.latenessMs().stream().filter(ms -> ms < 0).count();
    out("");
    out(
        "== 8. Backlog: %d deliveries in backoff (receiver fails each first attempt, then accepts; retry schedule [\"%s\"]) ==",
        b.size(), b.delay());
    out(
        "   capacity %s deliveries/s (burst of %d); the backlog created open loop at %s/s, so its retries fall due at that pace",
        Stats.fmt(b.capacity().perSecond(), 1), b.capacity().deliveries(), Stats.fmt(b.rate(), 1));
    out(
        "   created in %s s (%d creates failed); first attempts %d, retries %d%s; retries fell due over %s s",
        Stats.fmt(b.createSeconds(), 1),
        b.createFailures(),
        b.firstAttempts(),
        b.retries(),
        b.complete() ? "" : " (not all: timeout)",
        Stats.fmt(b.windowSeconds(), 1));
    out(
        "   retry lateness = the retry's arrival at the receiver - the delivery's status.nextAttemptTime after its failed first attempt");
    out(
        "   lateness ms: p50 %s  p99 %s  max %s   target p99 <= %s: %s",
        Stats.fmt(p50, 0),
        Stats.fmt(p99, 0),
        Stats.fmt(Stats.percentile(b.latenessMs(), 100), 0),
        Stats.fmt(RETRY_LATENESS_P99_TARGET_MS, 0),
        Target.atMost(p99, RETRY_LATENESS_P99_TARGET_MS));
    out(
        "   retries before their nextAttemptTime: %d (earliest %s ms)   target 0: %s",
        early, Stats.fmt(Stats.percentile(b.latenessMs(), 0), 0), early == 0 ? "PASS" : "FAIL");
    out(
        "   new deliveries (open loop, latency from intended send) to healthy endpoints of the same operator:");
    probeRow("idle, before the backlog", b.idle());
    probeRow("while the retries fall due", b.beside());
    out(
        "   %-30s p50 %s  p99 %s",
        "slowdown (beside / idle)",
        Stats.fmt(Stats.percentile(b.beside().ms(), 50) / Stats.percentile(b.idle().ms(), 50), 2),
        Stats.fmt(Stats.percentile(b.beside().ms(), 99) / Stats.percentile(b.idle().ms(), 99), 2));
    out(
        "   CPU ms per backlog delivery (two attempts each, probes included): %s",
        CpuCost.describe(b.cpuMsPerDelivery()));
  }

  private void probeRow(String label, Paced.Latencies l) {
    out(
        "   %-30s p50 %s ms  p95 %s ms  p99 %s ms  missing %d",
        label,
        Stats.fmt(Stats.percentile(l.ms(), 50), 0),
        Stats.fmt(Stats.percentile(l.ms(), 95), 0),
        Stats.fmt(Stats.percentile(l.ms(), 99), 0),
        l.missing());
  }

  void soak(LoadScenarios.Soak s) {
    out("");
    out(
        "== 9. Soak: %d endpoints at %s deliveries/s (50%% of a burst's %s/s) for %s min, default retention ==",
        s.endpoints(),
        Stats.fmt(s.rate(), 1),
        Stats.fmt(s.capacity().perSecond(), 1),
        Stats.fmt(s.minutes(), 1));
    out(
        "   %d deliveries created; latency from intended send: p50 %s ms, p99 %s ms, missing %d; CPU ms/delivery: %s",
        s.created(),
        Stats.fmt(Stats.percentile(s.latencies().ms(), 50), 0),
        Stats.fmt(Stats.percentile(s.latencies().ms(), 99), 0),
        s.latencies().missing(),
        CpuCost.describe(s.cpuMs()));
    out(
        "   sampled every few seconds: objects in the namespace by phase (the bench's informers), etcd's"
            + " etcd_mvcc_db_total_size_in_bytes and _in_use_in_bytes (its /metrics), the operator's VmRSS");
    out(
        "   plateau = the last third grew or fell at most %d%% of its mean, or its peak is at most %d%% above the middle third's,"
            + " or it still rises at most at %d%% of the first third's slope",
        Math.round(Plateau.FLAT_SHARE * 100),
        Math.round(Plateau.FLAT_SHARE * 100),
        Math.round(Plateau.SLOPE_RATIO * 100));
    List<LoadScenarios.SoakSample> samples = s.samples();
    if (samples.isEmpty()) {
      out("   no samples");
      return;
    }
    LoadScenarios.SoakSample first = samples.get(0);
    LoadScenarios.SoakSample last = samples.get(samples.size() - 1);
    out("   %-22s %14s %14s %14s  %s", "", "first", "last", "max", "plateau");
    series("deliveries", samples, x -> x.deliveriesTotal(), 0, "");
    series("events", samples, x -> x.eventsTotal(), 0, "");
    series("etcd db size MiB", samples, x -> x.etcdDbBytes() / 1048576, 1, "");
    series("etcd db in use MiB", samples, x -> x.etcdDbInUseBytes() / 1048576, 1, "");
    series("operator RSS MiB", samples, x -> x.rss() / 1048576.0, 1, "");
    out(
        "   deliveries by phase, first sample: %s; last: %s",
        first.deliveries(), last.deliveries());
    out("   events by phase, last sample: %s", last.events());
    List<double[]> objects = new ArrayList<>();
    List<double[]> etcd = new ArrayList<>();
    List<double[]> etcdInUse = new ArrayList<>();
    List<double[]> rss = new ArrayList<>();
    for (LoadScenarios.SoakSample x : samples) {
      objects.add(new double[] {x.t(), x.deliveriesTotal() + x.eventsTotal()});
      etcd.add(new double[] {x.t(), x.etcdDbBytes() / 1048576});
      etcdInUse.add(new double[] {x.t(), x.etcdDbInUseBytes() / 1048576});
      rss.add(new double[] {x.t(), x.rss() / 1048576.0});
    }
    StringBuilder csv =
        new StringBuilder("seconds,deliveries,events,etcd_db_bytes,etcd_in_use_bytes,rss_bytes\n");
    for (LoadScenarios.SoakSample x : samples) {
      csv.append(
          String.format(
              java.util.Locale.ROOT,
              "%.1f,%d,%d,%.0f,%.0f,%d%n",
              x.t(),
              x.deliveriesTotal(),
              x.eventsTotal(),
              x.etcdDbBytes(),
              x.etcdDbInUseBytes(),
              x.rss()));
    }
    writeText("soak.csv", csv.toString());
    write(
        "soak.svg",
        List.of(
            new Svg.Chart(
                "Soak: objects present (deliveries + events)",
                "seconds",
                "objects",
                List.of(new Svg.Series("objects", objects))),
            new Svg.Chart(
                "Soak: etcd database",
                "seconds",
                "MiB",
                List.of(new Svg.Series("db size", etcd), new Svg.Series("in use", etcdInUse))),
            new Svg.Chart(
                "Soak: operator resident set",
                "seconds",
                "MiB",
                List.of(new Svg.Series("VmRSS", rss)))));
  }

  private void series(
      String label,
      List<LoadScenarios.SoakSample> samples,
      ToDoubleFunction<LoadScenarios.SoakSample> value,
      int decimals,
      String unit) {
    List<Plateau.Point> points =
        samples.stream()
            .map(x -> new Plateau.Point(x.t(), value.applyAsDouble(x)))
            .filter(p -> Double.isFinite(p.value()))
            .toList();
    Plateau.Verdict v = Plateau.judge(points);
    double max = points.stream().mapToDouble(Plateau.Point::value).max().orElse(Double.NaN);
    out(
        "   %-22s %14s %14s %14s  %s (%s)",
        label,
        points.isEmpty() ? "n/a" : Stats.fmt(points.get(0).value(), decimals) + unit,
        points.isEmpty()
            ? "n/a"
            : Stats.fmt(points.get(points.size() - 1).value(), decimals) + unit,
        Stats.fmt(max, decimals),
        v.plateau() ? "YES" : "NO",
        v.why());
  }

  /** The samples behind a chart, so that its verdicts can be checked again. */
  private void writeText(String name, String text) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(name);
      Files.writeString(file, text);
      out("   samples: %s", file);
    } catch (IOException e) {
      out("   samples %s not written: %s", name, e);
    }
  }

  private void write(String name, List<Svg.Chart> panels) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(name);
      Files.writeString(file, Svg.render(panels));
      charts.add(file.toString());
      out("   chart: %s", file);
    } catch (IOException e) {
      out("   chart %s not written: %s", name, e);
    }
  }
}
