package dev.herald.bench;

import dev.herald.endpoint.EndpointSettings;
import dev.herald.retention.FinishedBudget;
import dev.herald.testing.OperatorProcess;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * Herald's benchmark against a real kube-apiserver (bench/run.sh starts one and builds the jar).
 * Progress goes to stderr; the report to stdout and target/bench/report.txt.
 */
public final class Bench {
  /** How far behind deliveries finishing retention may be at the end of a throughput run. */
  private static final java.time.Duration LAG = java.time.Duration.ofSeconds(3);

  /** Issue 12: direct deliveries/s at least this share of the raw create + status rate. */
  private static final double DIRECT_RATIO_TARGET = 0.6;

  private final BenchOptions options;
  private final StringBuilder report = new StringBuilder();
  private final long t0 = System.nanoTime();

  private Bench(BenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    BenchOptions options = new BenchOptions();
    CommandLine cli = new CommandLine(options);
    CommandLine.ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      System.err.println(e.getMessage());
      cli.usage(System.err);
      System.exit(2);
      return;
    }
    if (CommandLine.printHelpIfRequested(parsed)) {
      return;
    }
    if (options.quick) {
      // the quick sizes fill in what the command line left out, then everything parses again
      List<String> quick = new ArrayList<>(List.of(args));
      BenchOptions.QUICK.forEach(
          (flag, value) -> {
            if (!parsed.hasMatchedOption(flag)) {
              quick.add(flag + "=" + value);
            }
          });
      options = new BenchOptions();
      new CommandLine(options).parseArgs(quick.toArray(String[]::new));
    }
    new Bench(options).run();
    // Vert.x and fabric8 leave non-daemon threads behind after close under exec:java
    System.exit(0);
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void progress(String message) {
    System.err.printf("[bench %4ds] %s%n", (System.nanoTime() - t0) / 1_000_000_000L, message);
  }

  private void out(String format, Object... args) {
    String line = String.format(format, args);
    System.out.println(line);
    report.append(line).append('\n');
  }

  private void run() {
    if (!Files.isRegularFile(options.jar)) {
      throw new IllegalStateException(
          options.jar
              + " is missing: build it with mvn -B -q -DskipTests package (bench/run.sh does)");
    }
    Vertx vertx = Vertx.vertx();
    try (Cluster cluster = new Cluster(options.concurrency)) {
      Scenarios scenarios = new Scenarios(options, cluster, vertx, this::progress);
      header(cluster);
      if (options.runs("throughput") || options.runs("limits")) {
        throughputAndLimits(scenarios);
      }
      if (options.runs("memory")) {
        memory(scenarios);
      }
      if (options.runs("isolation")) {
        isolation(scenarios);
      }
      if (options.runs("fairness")) {
        fairness(scenarios);
      }
      load(new LoadScenarios(options, cluster, vertx, this::progress));
      out("");
      out("total bench time: %d s", (System.nanoTime() - t0) / 1_000_000_000L);
    } finally {
      vertx.close();
      writeReport();
    }
  }

  private void header(Cluster cluster) {
    out("Herald benchmark, %s", Instant.now().truncatedTo(ChronoUnit.SECONDS));
    out(
        "machine    : %d cores (%s), %s RAM, %s %s",
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        memTotal(),
        System.getProperty("os.name"),
        System.getProperty("os.version"));
    out(
        "JDK        : %s %s (bench and operator)",
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
    out("apiserver  : %s at %s", cluster.serverVersion(), cluster.client.getMasterUrl());
    out(
        "operator   : %s",
        String.join(
                " ",
                OperatorProcess.command(
                    options.jar, options.jvmOptions(), "<ns>", 0, options.operatorArgs()))
            .replace("--health-port 0", "--health-port <free port>"));
    out(
        "sizes      : --deliveries %d --endpoints %s --concurrency %d --runs %d --history %s --isolation-deliveries %d"
            + " --isolation-endpoints %d --hang-queued %d --hang-timeout %s --fairness-noisy %d --fairness-quiet %d"
            + " --fairness-rate %s --fairness-endpoints %d --operator-warmup %d%s",
        options.deliveries,
        join(options.endpoints),
        options.concurrency,
        options.runs,
        join(options.history),
        options.isolationDeliveries,
        options.isolationEndpoints,
        options.hangQueued,
        options.hangTimeout,
        options.fairnessNoisy,
        options.fairnessQuiet,
        Stats.fmt(options.fairnessRate, 1),
        options.fairnessEndpoints,
        options.operatorWarmup,
        (options.baselineJar == null ? "" : " --baseline-jar " + options.baselineJar)
            + (options.baselineJvmOptions == null
                ? ""
                : " --baseline-jvm-options \"" + options.baselineJvmOptions + "\""));
    out(
        "             --capacity-deliveries %d --paced-endpoints %d --paced-rates %s --paced-seconds %d"
            + " --fanout-endpoints %s --fanout-events %d --fanout-direct %d --backlog %d --backlog-delay %s"
            + " --backlog-endpoints %d --backlog-share %s --backlog-probe %d --backlog-probe-rate %s --soak-minutes %s"
            + " --soak-endpoints %d --soak-sample-seconds %s%s",
        options.capacityDeliveries,
        options.pacedEndpoints,
        String.join(",", options.pacedRates.stream().map(String::valueOf).toList()),
        options.pacedSeconds,
        join(options.fanoutEndpoints),
        options.fanoutEvents,
        options.fanoutDirect,
        options.backlog,
        options.backlogDelay,
        options.backlogEndpoints,
        Stats.fmt(options.backlogShare, 2),
        options.backlogProbe,
        Stats.fmt(options.backlogProbeRate, 1),
        Stats.fmt(options.soakMinutes, 1),
        options.soakEndpoints,
        Stats.fmt(options.soakSampleSeconds, 1),
        options.quick ? " (--quick)" : "");
    out("scenarios  : %s", String.join(",", options.scenarios));
  }

  private void throughputAndLimits(Scenarios scenarios) {
    Map<Integer, List<Scenarios.Delivered>> byEndpoints = new LinkedHashMap<>();
    Map<Integer, List<Scenarios.Delivered>> baseline = new LinkedHashMap<>();
    List<Double> rawApi = new ArrayList<>();
    List<Double> rawContract = new ArrayList<>();
    List<Double> rawPost = new ArrayList<>();
    if (options.runs("limits")) {
      // the bench's own JVM and connections warm up here, so the limits are not measured cold
      progress("warm-up of the raw API and POST clients (not measured)");
      scenarios.rawPosts(Math.max(options.deliveries, 500));
      scenarios.rawApiWrites(Math.min(options.deliveries, 200));
    }
    for (int run = 1; run <= options.runs; run++) {
      if (options.runs("throughput")) {
        for (int endpoints : options.endpoints) {
          progress(
              "run "
                  + run
                  + "/"
                  + options.runs
                  + ": throughput, "
                  + options.deliveries
                  + " deliveries over "
                  + endpoints
                  + " endpoints");
          if (options.throughputBaseline()) {
            progress("  with the baseline: " + options.baseline().describe());
            Scenarios.Delivered b =
                scenarios.throughput(options.baseline(), options.deliveries, endpoints);
            progress(
                String.format(
                    "  -> %.1f deliveries/s, %.1f CPU ms/delivery",
                    b.perSecond(), b.cpuMsPerDelivery()));
            baseline.computeIfAbsent(endpoints, k -> new ArrayList<>()).add(b);
          }
          Scenarios.Delivered d = scenarios.throughput(options.deliveries, endpoints);
          progress(
              String.format(
                  "  -> %.1f deliveries/s, %d/%d succeeded, %.1f CPU ms/delivery",
                  d.perSecond(), d.succeeded(), d.deliveries(), d.cpuMsPerDelivery()));
          byEndpoints.computeIfAbsent(endpoints, k -> new ArrayList<>()).add(d);
        }
      }
      if (options.runs("limits")) {
        progress(
            "run "
                + run
                + "/"
                + options.runs
                + ": raw API writes, "
                + options.deliveries
                + " objects");
        rawApi.add(scenarios.rawApiWrites(options.deliveries));
        progress(
            "run "
                + run
                + "/"
                + options.runs
                + ": raw contract writes, "
                + options.deliveries
                + " objects");
        rawContract.add(scenarios.rawContractWrites(options.deliveries));
        progress(
            "run " + run + "/" + options.runs + ": raw POSTs, " + options.deliveries + " requests");
        rawPost.add(scenarios.rawPosts(options.deliveries));
      }
    }
    if (!byEndpoints.isEmpty()) {
      out("");
      out(
          "== 1. Throughput: %d deliveries through the operator, created at concurrency %d%s ==",
          options.deliveries,
          options.concurrency,
          options.runs > 1 ? " (median of " + options.runs + " runs)" : "");
      out(
          "   deliveries/s = deliveries / (first create sent -> last status Succeeded seen by a watch)");
      out("   latency = create request sent -> the POST arriving at the receiver");
      out(
          "%-9s %12s %9s %9s %9s %18s %10s %10s  %s",
          "endpoints",
          "deliveries/s",
          "p50 ms",
          "p95 ms",
          "p99 ms",
          "API req/delivery",
          "RSS end",
          "RSS peak",
          "runs (deliveries/s)");
      for (Map.Entry<Integer, List<Scenarios.Delivered>> e : byEndpoints.entrySet()) {
        List<Scenarios.Delivered> runs = e.getValue();
        out(
            "%-9d %12s %9s %9s %9s %18s %10s %10s  %s",
            e.getKey(),
            Stats.fmt(median(runs, Scenarios.Delivered::perSecond), 1),
            Stats.fmt(median(runs, d -> Stats.percentile(d.latenciesMs(), 50)), 0),
            Stats.fmt(median(runs, d -> Stats.percentile(d.latenciesMs(), 95)), 0),
            Stats.fmt(median(runs, d -> Stats.percentile(d.latenciesMs(), 99)), 0),
            Stats.fmt(median(runs, Scenarios.Delivered::apiPerDelivery), 2),
            Stats.mib((long) median(runs, d -> (double) d.rss())),
            Stats.mib((long) median(runs, d -> (double) d.peakRss())),
            String.join(
                " ",
                runs.stream()
                    .map(
                        d ->
                            Stats.fmt(d.perSecond(), 1)
                                + (d.complete() ? "" : "(incomplete " + d.succeeded() + ")"))
                    .toList()));
      }
      out("   API requests: %s", byEndpoints.values().iterator().next().get(0).apiSource());
      for (Map.Entry<Integer, List<Scenarios.Delivered>> e : byEndpoints.entrySet()) {
        List<String> breakdown = e.getValue().get(0).apiBreakdown();
        if (!breakdown.isEmpty()) {
          out(
              "   per delivery at %d endpoints (run 1, largest first): %s",
              e.getKey(), String.join(", ", breakdown));
        }
      }
      out(
          "   API wait = mean time each API request of the operator waited for its client-side limits"
              + " (--kube-api-qps, and the line for one of --kube-api-max-in-flight open places, which fills"
              + " whenever the API server answers slowly: herald_kube_api_throttled_seconds); a run with"
              + " --operator-args \"--kube-api-qps 2000 --kube-api-burst 4000\" tells whether the rate limit bounds deliveries/s");
      for (Map.Entry<Integer, List<Scenarios.Delivered>> e : byEndpoints.entrySet()) {
        out(
            "   API wait at %d endpoints: %s ms",
            e.getKey(), Stats.fmt(median(e.getValue(), Scenarios.Delivered::apiWaitMs), 1));
      }
      out(
          "   objects at the end = WebhookDeliveries in the namespace once the last one succeeded, warm-up"
              + " included: retention keeps the newest %d finished ones per endpoint and at most %d finished"
              + " per namespace (the operator's defaults) and deletes beyond those as fast as deliveries finish,"
              + " checking again within a second while any are due; bound: the smaller of the two, plus what"
              + " finishes in %d s at the run's rate (that second, the pass, the labels written after the status)",
          EndpointSettings.DEFAULT_KEEP, FinishedBudget.DEFAULT_PER_NAMESPACE, LAG.toSeconds());
      for (Map.Entry<Integer, List<Scenarios.Delivered>> e : byEndpoints.entrySet()) {
        long created = (long) options.operatorWarmup + options.deliveries;
        long kept =
            Math.min(
                (long) EndpointSettings.DEFAULT_KEEP * e.getKey(),
                FinishedBudget.DEFAULT_PER_NAMESPACE);
        long bound = kept + Math.round(e.getValue().get(0).perSecond() * LAG.toSeconds());
        long end = e.getValue().get(0).objectsAtEnd();
        List<Scenarios.Delivered> b = baseline.get(e.getKey());
        out(
            "   objects at the end at %d endpoints (run 1): %d of %d created [bound %d: %s]%s",
            e.getKey(),
            end,
            created,
            bound,
            created <= kept ? "n/a" : end <= bound ? "PASS" : "FAIL",
            b == null ? "" : "   baseline: " + b.get(0).objectsAtEnd());
      }
      out(
          "   RSS: VmRSS of the operator process at the end; peak: its VmHWM (the kernel's high-water mark)");
      out(
          "   CPU ms/delivery = utime+stime from /proc of each process from the first create to the last Succeeded"
              + " (operator started and endpoints Ready before: start-up excluded), / deliveries succeeded%s",
          options.runs > 1 ? "; median of the runs" : "");
      for (Map.Entry<Integer, List<Scenarios.Delivered>> e : byEndpoints.entrySet()) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (String process : List.of("operator", "apiserver", "etcd")) {
          cpu.put(process, median(e.getValue(), d -> d.cpuMs().getOrDefault(process, Double.NaN)));
        }
        out("   CPU ms/delivery at %d endpoints: %s", e.getKey(), CpuCost.describe(cpu));
      }
      operatorCpu(byEndpoints, baseline);
    }
    if (!rawApi.isEmpty()) {
      double api = Stats.median(rawApi);
      double contract = Stats.median(rawContract);
      double post = Stats.median(rawPost);
      out("");
      out(
          "== 2. Limits at concurrency %d, no operator%s ==",
          options.concurrency, options.runs > 1 ? " (median of " + options.runs + " runs)" : "");
      out(
          "   (a) raw API writes: create + JSON-patch /status per delivery-shaped object: %s deliveries/s",
          Stats.fmt(api, 1));
      out(
          "   (b) raw POSTs of the same body to the same receiver (Vert.x HttpClient): %s POSTs/s",
          Stats.fmt(post, 1));
      out(
          "   (c) raw contract writes: create without labels + JSON-patch /status + merge-patch of the phase label"
              + " + delete per object, the four requests a direct delivery costs the API server at a steady rate"
              + " beyond the retention budget: %s deliveries/s (%s of (a): what the contract and a bounded"
              + " footprint leave of the raw rate, before any operator cost)",
          Stats.fmt(contract, 1), Stats.fmt(contract / api, 3));
      for (Map.Entry<Integer, List<Scenarios.Delivered>> e : byEndpoints.entrySet()) {
        double rate = median(e.getValue(), Scenarios.Delivered::perSecond);
        List<Scenarios.Delivered> b = baseline.get(e.getKey());
        out(
            "   %3d endpoints: operator / raw API writes = %s [issue 12 target >= %.1f: %s]"
                + "   operator / raw contract writes = %s   operator / raw POSTs = %s%s",
            e.getKey(),
            Stats.fmt(rate / api, 3),
            DIRECT_RATIO_TARGET,
            rate / api >= DIRECT_RATIO_TARGET ? "PASS" : "FAIL",
            Stats.fmt(rate / contract, 3),
            Stats.fmt(rate / post, 4),
            b == null
                ? ""
                : "   baseline / raw API writes = "
                    + Stats.fmt(median(b, Scenarios.Delivered::perSecond) / api, 3));
      }
    }
  }

  /** The scenarios of issue 12's section 4, each printed with its targets. */
  private void load(LoadScenarios load) {
    LoadReport printer = new LoadReport(line -> out("%s", line), options.logs);
    if (options.runs("paced")) {
      progress("paced load");
      printer.paced(load.paced());
    }
    if (options.runs("fanout")) {
      printer.fanOut(load.fanOut());
    }
    if (options.runs("backlog")) {
      progress("backlog: " + options.backlog + " deliveries in backoff");
      printer.backlog(load.backlog());
    }
    if (options.runs("soak")) {
      progress("soak: " + options.soakMinutes + " min");
      printer.soak(load.soak());
    }
    if (!printer.charts().isEmpty()) {
      out("");
      out("charts: %s", String.join(", ", printer.charts()));
    }
  }

  /**
   * The operator's CPU ms per delivery (utime + stime of its process over the measured window, from
   * the first create to the last Succeeded, start-up excluded), and the baseline jar's beside it.
   */
  private void operatorCpu(
      Map<Integer, List<Scenarios.Delivered>> runs, Map<Integer, List<Scenarios.Delivered>> base) {
    out(
        "   operator CPU ms/delivery (utime+stime of its process, first create -> last Succeeded; in brackets: its JIT compiler threads still alive at the end, GC threads (the VM thread with the serial collector), the rest)%s:",
        base.isEmpty()
            ? ""
            : "; baseline (" + options.baseline().describe() + ") run just before each");
    for (Map.Entry<Integer, List<Scenarios.Delivered>> e : runs.entrySet()) {
      List<Scenarios.Delivered> b = base.get(e.getKey());
      out(
          "   %3d endpoints: %s ms (%s) at %s deliveries/s, RSS peak %s%s",
          e.getKey(),
          Stats.fmt(median(e.getValue(), Scenarios.Delivered::cpuMsPerDelivery), 2),
          byThreads(e.getValue().get(0)),
          Stats.fmt(median(e.getValue(), Scenarios.Delivered::perSecond), 1),
          Stats.mib((long) median(e.getValue(), d -> (double) d.peakRss())),
          b == null
              ? ""
              : "   baseline: "
                  + Stats.fmt(median(b, Scenarios.Delivered::cpuMsPerDelivery), 2)
                  + " ms ("
                  + byThreads(b.get(0))
                  + ") at "
                  + Stats.fmt(median(b, Scenarios.Delivered::perSecond), 1)
                  + " deliveries/s, RSS peak "
                  + Stats.mib((long) median(b, d -> (double) d.peakRss())));
    }
  }

  /** "JIT 1.2, GC 0.3, other 4.5" of one run. */
  private static String byThreads(Scenarios.Delivered d) {
    return String.join(
        ", ",
        d.cpuMsByThreads().entrySet().stream()
            .map(t -> t.getKey() + " " + Stats.fmt(t.getValue(), 1))
            .toList());
  }

  private void memory(Scenarios scenarios) {
    List<Scenarios.Memory> results = new ArrayList<>();
    for (int history : options.history) {
      progress("memory: " + history + " finished deliveries present");
      Scenarios.Memory m = scenarios.memory(history);
      progress(
          m.failure() != null
              ? "  -> operator failed: " + m.failure()
              : String.format("  -> heap %s, RSS %s", heap(m), Stats.mib(m.rss())));
      results.add(m);
    }
    out("");
    out(
        "== 3. Memory with finished deliveries present (operator started after they were written) ==");
    out(
        "   heap = jvm_memory_used_bytes{area=\"heap\"} after the operator settled (<5%% of a core for 3 s) and jcmd GC.run;"
            + " marked * when the jar has no JVM metrics and jstat -gc gave it");
    out(
        "%-9s %11s %10s %9s %9s %14s %10s %10s %9s",
        "history",
        "created in",
        "ready in",
        "settled",
        "GC forced",
        "heap used",
        "RSS",
        "RSS peak",
        "present");
    for (Scenarios.Memory m : results) {
      out(
          "%-9d %11s %10s %9s %9s %14s %10s %10s %9d",
          m.history(),
          seconds(m.createSeconds(), 1),
          seconds(m.startSeconds(), 1),
          seconds(m.settleSeconds(), 0),
          m.gcForced() ? "yes" : "no",
          heap(m),
          Stats.mib(m.rss()),
          Stats.mib(m.peakRss()),
          m.present());
      if (m.failure() != null) {
        out("%-9s operator: %s", "", m.failure());
      }
    }
  }

  private void isolation(Scenarios scenarios) {
    progress("isolation: healthy endpoints alone");
    Scenarios.Delivered alone = scenarios.isolation(false);
    progress("isolation: with a hanging endpoint");
    Scenarios.Delivered hanging = scenarios.isolation(true);
    double p50a = Stats.percentile(alone.latenciesMs(), 50);
    double p95a = Stats.percentile(alone.latenciesMs(), 95);
    double p50h = Stats.percentile(hanging.latenciesMs(), 50);
    double p95h = Stats.percentile(hanging.latenciesMs(), 95);
    out("");
    out(
        "== 4. Isolation: %d deliveries to %d healthy endpoints; then the same after %d deliveries were queued to one"
            + " endpoint that never answers (timeout %s) ==",
        options.isolationDeliveries,
        options.isolationEndpoints,
        options.hangQueued,
        options.hangTimeout);
    out("%-26s %9s %9s %12s %10s", "", "p50 ms", "p95 ms", "deliveries/s", "succeeded");
    out(
        "%-26s %9s %9s %12s %10s",
        "healthy alone",
        Stats.fmt(p50a, 0),
        Stats.fmt(p95a, 0),
        Stats.fmt(alone.perSecond(), 1),
        alone.succeeded() + "/" + alone.deliveries());
    out(
        "%-26s %9s %9s %12s %10s",
        "with a hanging endpoint",
        Stats.fmt(p50h, 0),
        Stats.fmt(p95h, 0),
        Stats.fmt(hanging.perSecond(), 1),
        hanging.succeeded() + "/" + hanging.deliveries());
    out(
        "%-26s %9s %9s %12s",
        "ratio (hanging / alone)",
        Stats.fmt(p50h / p50a, 2),
        Stats.fmt(p95h / p95a, 2),
        Stats.fmt(hanging.perSecond() / alone.perSecond(), 2));
    out("   CPU ms/delivery, healthy alone: %s", CpuCost.describe(alone.cpuMs()));
    out("   CPU ms/delivery, with a hanging endpoint: %s", CpuCost.describe(hanging.cpuMs()));
  }

  private void fairness(Scenarios scenarios) {
    List<Scenarios.Fairness> results = new ArrayList<>();
    if (options.baselineJar != null) {
      progress("fairness with the baseline jar " + options.baselineJar);
      results.add(scenarios.fairness(options.baselineJar));
      progress("  -> " + fairnessRatios(results.get(0)));
    }
    progress("fairness with " + options.jar);
    results.add(scenarios.fairness(options.jar));
    progress("  -> " + fairnessRatios(results.get(results.size() - 1)));
    out("");
    out(
        "== 5. Fairness: one operator for two namespaces. The quiet one gets %d deliveries at %s/s over %d endpoints, alone,"
            + " then again beside the noisy one: %d deliveries to a receiver answering 500, retry schedule %s ==",
        options.fairnessQuiet,
        Stats.fmt(options.fairnessRate, 0),
        options.fairnessEndpoints,
        options.fairnessNoisy,
        Scenarios.NOISY_SCHEDULE);
    out(
        "   latency = create request sent -> the POST arriving at the receiver; deliveries/s = quiet deliveries /"
            + " (first create -> last Succeeded); noisy attempts/s = the failing receiver's requests during the second measure");
    out(
        "   API wait = mean time the operator's API requests waited for its client-side limits meanwhile (--kube-api-qps, --kube-api-max-in-flight: herald_kube_api_throttled_seconds)");
    out(
        "   create p50 = the API server's answer to the bench's own create of a quiet delivery (its slowdown, shared by every client)");
    out(
        "%-46s %9s %9s %12s %10s %16s %12s %14s",
        "",
        "p50 ms",
        "p95 ms",
        "deliveries/s",
        "succeeded",
        "noisy attempts/s",
        "API wait ms",
        "create p50 ms");
    for (Scenarios.Fairness f : results) {
      out("%s", "jar " + f.jar());
      fairnessRow("  quiet alone", f.alone(), "", f.throttledMsAlone());
      fairnessRow(
          "  quiet beside the noisy namespace",
          f.beside(),
          Stats.fmt(f.noisyAttemptsPerSecond(), 1),
          f.throttledMsBeside());
      fairnessRow("  quiet alone again (noisy deleted)", f.aloneAgain(), "", Double.NaN);
      out(
          "%-46s %9s %9s %12s",
          "  drift (alone again / alone)",
          Stats.fmt(
              Stats.percentile(f.aloneAgain().latenciesMs(), 50)
                  / Stats.percentile(f.alone().latenciesMs(), 50),
              2),
          Stats.fmt(
              Stats.percentile(f.aloneAgain().latenciesMs(), 95)
                  / Stats.percentile(f.alone().latenciesMs(), 95),
              2),
          Stats.fmt(f.aloneAgain().perSecond() / f.alone().perSecond(), 2));
      out(
          "%-46s %9s %9s %12s",
          "  ratio (beside / both alone measures)",
          ratio(f, 50),
          ratio(f, 95),
          Stats.fmt(throughputRatio(f), 2));
      out(
          "%-46s %9s %9s %12s   (issue 10: latency at most %sx, throughput at least %sx)",
          "  target",
          Target.atMost(latencyRatio(f, 50), MAX_LATENCY_RATIO),
          Target.atMost(latencyRatio(f, 95), MAX_LATENCY_RATIO),
          Target.atLeast(throughputRatio(f), MIN_THROUGHPUT_RATIO),
          Stats.fmt(MAX_LATENCY_RATIO, 2),
          Stats.fmt(MIN_THROUGHPUT_RATIO, 2));
    }
    out(
        "   noisy demand: %d deliveries due every second = %d attempts/s; served: the noisy attempts/s above",
        options.fairnessNoisy, options.fairnessNoisy);
    out(
        "   fair: throughput ratio at least 0.90 and latency ratios at most 1.10 (the API server and etcd share the machine,"
            + " so the noisy namespace's requests also slow the server itself)");
    out("");
    out(
        "   where a quiet delivery's time goes, mean ms: create->POST = the latency above (mean); create->watch = create"
            + " request sent -> the bench's own watch sees the object (the API server and its watch, as a second client sees");
    out(
        "   them); dispatch, queue, reconcile = the operator's herald_delivery_pickup_seconds (informer hands the new delivery"
            + " to JOSDK -> reconcile handed to the pool -> a thread starts it -> attempt handed to the sender);");
    out(
        "   before operator = create->POST - pickup total: the create, the API server's watch, the operator's watch"
            + " connection and deserialisation, and the POST's way to the receiver");
    out(
        "%-46s %12s %14s %10s %8s %10s %14s %16s",
        "",
        "create->POST",
        "create->watch",
        "dispatch",
        "queue",
        "reconcile",
        "pickup total",
        "before operator");
    for (Scenarios.Fairness f : results) {
      out("%s", "jar " + f.jar());
      breakdownRow("  quiet alone", f.alone(), f.pickupMsAlone());
      breakdownRow("  quiet beside the noisy namespace", f.beside(), f.pickupMsBeside());
    }
    out("");
    out(
        "   cores used during each measure (/proc: utime+stime; machine = every busy core, others = the machine minus the"
            + " processes named: other work on the same machine) and the operator's API requests a second (top series)");
    for (Scenarios.Fairness f : results) {
      out("%s", "jar " + f.jar());
      coresRow("  quiet alone", f.coresAlone(), f.apiPerSecondAlone());
      coresRow("  quiet beside the noisy namespace", f.coresBeside(), f.apiPerSecondBeside());
    }
  }

  private void coresRow(String label, Map<String, Double> cores, Map<String, Double> api) {
    StringBuilder line = new StringBuilder();
    cores.forEach((k, v) -> line.append(k).append(' ').append(Stats.fmt(v, 2)).append("  "));
    out("%-46s %s", label, line.toString().trim());
    StringBuilder requests = new StringBuilder();
    double total = api.values().stream().mapToDouble(Double::doubleValue).sum();
    requests.append("API req/s ").append(Stats.fmt(total, 1)).append(":");
    api.entrySet().stream()
        .limit(5)
        .forEach(
            e ->
                requests
                    .append(' ')
                    .append(e.getKey())
                    .append(' ')
                    .append(Stats.fmt(e.getValue(), 1)));
    out("%-46s %s", "", requests);
  }

  private void breakdownRow(String label, Scenarios.Quiet q, Map<String, Double> pickup) {
    double total = mean(q.latenciesMs());
    out(
        "%-46s %12s %14s %10s %8s %10s %14s %16s",
        label,
        Stats.fmt(total, 1),
        Stats.fmt(mean(q.watchMs()), 1),
        Stats.fmt(pickup.get("dispatch"), 1),
        Stats.fmt(pickup.get("queue"), 1),
        Stats.fmt(pickup.get("reconcile"), 1),
        Stats.fmt(pickup.get("total"), 1),
        Stats.fmt(total - pickup.get("total"), 1));
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private void fairnessRow(String label, Scenarios.Quiet q, String noisy, double throttledMs) {
    out(
        "%-46s %9s %9s %12s %10s %16s %12s %14s",
        label,
        Stats.fmt(Stats.percentile(q.latenciesMs(), 50), 0),
        Stats.fmt(Stats.percentile(q.latenciesMs(), 95), 0),
        Stats.fmt(q.perSecond(), 1),
        q.succeeded() + "/" + q.deliveries() + (q.complete() ? "" : " (timeout)"),
        noisy,
        Stats.fmt(throttledMs, 1),
        Stats.fmt(Stats.percentile(q.createMs(), 50), 0));
  }

  private static String fairnessRatios(Scenarios.Fairness f) {
    return "beside / both alone measures: p50 "
        + ratio(f, 50)
        + ", p95 "
        + ratio(f, 95)
        + ", deliveries/s "
        + Stats.fmt(throughputRatio(f), 2)
        + "; noisy "
        + Stats.fmt(f.noisyAttemptsPerSecond(), 1)
        + " attempts/s";
  }

  /** Issue 10's bounds on what the noisy namespace may cost the quiet one. */
  static final double MAX_LATENCY_RATIO = 1.10;

  static final double MIN_THROUGHPUT_RATIO = 0.90;

  private static String ratio(Scenarios.Fairness f, double percentile) {
    return Stats.fmt(latencyRatio(f, percentile), 2);
  }

  private static double latencyRatio(Scenarios.Fairness f, double percentile) {
    return Stats.percentile(f.beside().latenciesMs(), percentile)
        / Stats.percentile(f.baseline().latenciesMs(), percentile);
  }

  private static double throughputRatio(Scenarios.Fairness f) {
    return f.beside().perSecond() / f.baseline().perSecond();
  }

  private static String heap(Scenarios.Memory m) {
    return Double.isNaN(m.heapUsed())
        ? "n/a"
        : Stats.mib((long) m.heapUsed()) + ("jstat".equals(m.heapSource()) ? "*" : "");
  }

  private static String seconds(double value, int decimals) {
    return Double.isNaN(value) ? "n/a" : Stats.fmt(value, decimals) + " s";
  }

  private static double median(
      List<Scenarios.Delivered> runs, Function<Scenarios.Delivered, Double> figure) {
    return Stats.median(runs.stream().map(figure).filter(v -> !Double.isNaN(v)).toList());
  }

  private static String join(List<Integer> values) {
    return String.join(",", values.stream().map(String::valueOf).toList());
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String memTotal() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal:"))
          .map(l -> Stats.mib(Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024))
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private void writeReport() {
    try {
      Files.createDirectories(options.logs);
      Files.writeString(options.logs.resolve("report.txt"), report.toString());
    } catch (IOException e) {
      progress("cannot write the report file: " + e);
    }
  }
}
