package dev.herald.bench;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.AttemptRecord;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.kube.Patches;
import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** The measures themselves; Bench prints them. */
final class Scenarios {
  /** One operator run: N deliveries through the operator, from first create to last Succeeded. */
  record Delivered(
      int deliveries,
      int endpoints,
      double seconds,
      double perSecond,
      List<Double> latenciesMs,
      int succeeded,
      String apiSource,
      double apiPerDelivery,
      List<String> apiBreakdown,
      double apiWaitMs,
      long rss,
      long peakRss,
      boolean complete,
      Map<String, Double> cpuMs,
      Map<String, Double> cpuMsByThreads,
      long objectsAtEnd) {
    double cpuMsPerDelivery() {
      return cpuMs.getOrDefault("operator", Double.NaN);
    }
  }

  /** Memory with finished history present. */
  record Memory(
      int history,
      double createSeconds,
      double startSeconds,
      double settleSeconds,
      boolean gcForced,
      double heapUsed,
      String heapSource,
      long rss,
      long peakRss,
      long present,
      String failure) {}

  /** One steady stream of deliveries in the quiet namespace of the fairness scenario. */
  record Quiet(
      int deliveries,
      double seconds,
      double perSecond,
      List<Double> latenciesMs,
      int succeeded,
      boolean complete,
      List<Double> createMs,
      List<Double> watchMs) {
    /**
     * Two measures of the same stream as one: the baseline measured before and after the noisy
     * namespace, so that a machine that grew busier or quieter meanwhile moves both sides alike.
     */
    static Quiet pooled(Quiet a, Quiet b) {
      double seconds = a.seconds() + b.seconds();
      int succeeded = a.succeeded() + b.succeeded();
      return new Quiet(
          a.deliveries() + b.deliveries(),
          seconds,
          succeeded / seconds,
          concat(a.latenciesMs(), b.latenciesMs()),
          succeeded,
          a.complete() && b.complete(),
          concat(a.createMs(), b.createMs()),
          concat(a.watchMs(), b.watchMs()));
    }

    private static List<Double> concat(List<Double> a, List<Double> b) {
      List<Double> all = new ArrayList<>(a);
      all.addAll(b);
      return all;
    }
  }

  /**
   * Fairness: the quiet namespace measured alone and then beside the noisy one, by one operator;
   * the noisy receiver's requests a second while the second measure ran.
   */
  record Fairness(
      Path jar,
      Quiet alone,
      Quiet beside,
      Quiet aloneAgain,
      double noisyAttemptsPerSecond,
      long noisyAttempts,
      double throttledMsAlone,
      double throttledMsBeside,
      Map<String, Double> pickupMsAlone,
      Map<String, Double> pickupMsBeside,
      Map<String, Double> coresAlone,
      Map<String, Double> coresBeside,
      Map<String, Double> apiPerSecondAlone,
      Map<String, Double> apiPerSecondBeside) {
    /** What the quiet namespace gets alone: both alone measures, before and after the noisy one. */
    Quiet baseline() {
      return Quiet.pooled(alone, aloneAgain);
    }
  }

  /**
   * The stages of herald_delivery_pickup_seconds, in order (see dev.herald.metrics.DeliveryPickup).
   */
  static final List<String> PICKUP_STAGES = List.of("dispatch", "queue", "reconcile", "total");

  /**
   * The noisy namespace's retry schedule: a retry every second (the shortest delay Herald allows).
   */
  static final List<String> NOISY_SCHEDULE = List.of("1s x1000");

  private final BenchOptions options;
  private final Cluster cluster;
  private final Vertx vertx;
  private final Consumer<String> progress;

  Scenarios(BenchOptions options, Cluster cluster, Vertx vertx, Consumer<String> progress) {
    this.options = options;
    this.cluster = cluster;
    this.vertx = vertx;
    this.progress = progress;
  }

  /**
   * Throughput: N deliveries spread round-robin over {@code endpoints} endpoints of one receiver.
   */
  Delivered throughput(int deliveries, int endpoints) {
    return throughput(options.measured(), deliveries, endpoints);
  }

  /**
   * Throughput with {@code operator} (a jar and its JVM options; --baseline-jar and
   * --baseline-jvm-options run a second one side by side).
   */
  Delivered throughput(BenchOptions.Variant operator, int deliveries, int endpoints) {
    try (TestReceiver receiver = TestReceiver.answering(vertx, 204)) {
      String ns = cluster.newNamespace("tp" + endpoints);
      try {
        List<String> names =
            cluster.createEndpoints(
                ns, endpoints, i -> receiver.url("/" + ns + "/ep-" + i), "15s", null);
        return deliverThroughOperator(operator, ns, names, List.of(), deliveries, receiver, null);
      } finally {
        cluster.deleteUnlessKept(ns, options.keepNamespaces, progress);
      }
    }
  }

  /**
   * Isolation: the healthy deliveries' latency with nothing else going on, or (hanging) after
   * {@code hangQueued} deliveries to an endpoint that never answers were created first.
   */
  Delivered isolation(boolean hanging) {
    try (TestReceiver receiver = TestReceiver.answering(vertx, 204);
        TestReceiver hang = TestReceiver.hanging(vertx)) {
      String ns = cluster.newNamespace(hanging ? "iso-hang" : "iso-alone");
      try {
        List<String> healthy =
            cluster.createEndpoints(
                ns,
                options.isolationEndpoints,
                i -> receiver.url("/" + ns + "/ep-" + i),
                "15s",
                null);
        List<String> stuck = List.of();
        if (hanging) {
          stuck = List.of("hang");
          cluster.createEndpoint(ns, "hang", hang.url("/hang"), options.hangTimeout, null);
        }
        List<String> all = new ArrayList<>(healthy);
        all.addAll(stuck);
        return deliverThroughOperator(
            options.measured(), ns, healthy, stuck, options.isolationDeliveries, receiver, all);
      } finally {
        cluster.deleteUnlessKept(ns, options.keepNamespaces, progress);
      }
    }
  }

  private Delivered deliverThroughOperator(
      BenchOptions.Variant variant,
      String ns,
      List<String> endpoints,
      List<String> hangingEndpoints,
      int n,
      TestReceiver receiver,
      List<String> readyEndpoints) {
    try (OperatorProcess operator =
        options.launchOperator(variant, ns, ns, options.operatorArgs())) {
      operator.awaitReady(Duration.ofSeconds(90));
      cluster.awaitEndpointsReady(
          ns, readyEndpoints == null ? endpoints : readyEndpoints, Duration.ofSeconds(60));
      try (SucceededWatch watch = new SucceededWatch(cluster.client, ns)) {
        if (!hangingEndpoints.isEmpty()) {
          Concurrent.run(
              options.hangQueued,
              options.concurrency,
              i ->
                  cluster
                      .client
                      .resource(
                          Cluster.delivery(
                              ns,
                              "stuck-" + i,
                              hangingEndpoints.get(i % hangingEndpoints.size()),
                              i))
                      .create());
          progress.accept(options.hangQueued + " deliveries queued to the hanging endpoint");
        }
        warmUp(ns, endpoints, watch);
        ApiCount before = ApiCount.take(operator, cluster);
        // after the endpoints are Ready and before the first create: start-up is not counted
        CpuCost.Snapshot cpuBefore = CpuCost.take(operator.pid());
        Map<String, Long> threadsBefore = threadTicks(operator.pid());
        Map<String, Long> sent = new ConcurrentHashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          names.add("d-" + i);
        }
        long firstCreate = System.nanoTime();
        Concurrent.run(
            n,
            options.concurrency,
            i -> {
              String name = names.get(i);
              WebhookDelivery delivery =
                  Cluster.delivery(ns, name, endpoints.get(i % endpoints.size()), i);
              sent.put(name, System.nanoTime());
              cluster.client.resource(delivery).create();
            });
        progress.accept(
            n
                + " deliveries created in "
                + Stats.fmt((System.nanoTime() - firstCreate) / 1e9, 1)
                + " s");
        boolean complete = watch.await(names, Duration.ofSeconds(options.timeoutSeconds));
        long last =
            names.stream()
                .map(watch::at)
                .filter(t -> t != null)
                .mapToLong(Long::longValue)
                .max()
                .orElse(System.nanoTime());
        CpuCost.Snapshot cpuAfter = CpuCost.take(operator.pid());
        Map<String, Long> threadsAfter = threadTicks(operator.pid());
        ApiCount after = ApiCount.take(operator, cluster);
        double seconds = (last - firstCreate) / 1e9;
        List<Double> latencies = new ArrayList<>();
        for (String name : names) {
          Long arrived = receiver.arrival(name);
          if (arrived != null) {
            latencies.add((arrived - sent.get(name)) / 1e6);
          }
        }
        int succeeded = (int) names.stream().filter(x -> watch.at(x) != null).count();
        Map<String, Double> cpuMs = CpuCost.msPer(cpuBefore, cpuAfter, succeeded);
        Map<String, Double> byThreads =
            cpuMsByThreads(
                threadsBefore, threadsAfter, succeeded, cpuMs.getOrDefault("operator", Double.NaN));
        return new Delivered(
            n,
            endpoints.size(),
            seconds,
            succeeded / seconds,
            latencies,
            succeeded,
            after.source(),
            after.perDelivery(before, n),
            after.breakdown(before, n, 6),
            meanThrottledMs(before.metrics(), after.metrics()),
            operator.rss(),
            operator.peakRss(),
            complete,
            cpuMs,
            byThreads,
            cluster.countDeliveries(ns));
      }
    }
  }

  /** --operator-warmup deliveries through the operator, waited for, not measured. */
  private void warmUp(String ns, List<String> endpoints, SucceededWatch watch) {
    int n = options.operatorWarmup;
    if (n <= 0) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("warmup-" + i);
    }
    Concurrent.run(
        n,
        options.concurrency,
        i ->
            cluster
                .client
                .resource(
                    Cluster.delivery(ns, names.get(i), endpoints.get(i % endpoints.size()), i))
                .create());
    boolean done = watch.await(names, Duration.ofSeconds(options.timeoutSeconds));
    progress.accept(n + " warm-up deliveries " + (done ? "succeeded" : "not all succeeded"));
  }

  /**
   * CPU ms per delivery of the JVM's own threads since {@code before}: the JIT compilers, the
   * garbage collector, and the rest (Java code, and threads that ended meanwhile) out of {@code
   * totalMs}.
   */
  static Map<String, Double> cpuMsByThreads(
      Map<String, Long> before, Map<String, Long> after, int deliveries, double totalMs) {
    Map<String, Double> ms = new java.util.LinkedHashMap<>();
    double named = 0;
    for (String kind : List.of("JIT", "GC")) {
      double v = (after.getOrDefault(kind, 0L) - before.getOrDefault(kind, 0L)) * 10.0 / deliveries;
      ms.put(kind, v);
      named += v;
    }
    ms.put("other", totalMs - named);
    return ms;
  }

  /** utime + stime of the process's live threads by kind (JIT, GC, other), from /proc. */
  static Map<String, Long> threadTicks(long pid) {
    Map<String, Long> ticks = new java.util.HashMap<>();
    try (var tasks = java.nio.file.Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = java.nio.file.Files.readString(task.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          // the serial collector (the chart's default) collects in the VM thread, whose other
          // safepoint work is small beside it
          String kind =
              comm.contains("CompilerThre")
                  ? "JIT"
                  : comm.startsWith("GC Thread")
                          || comm.startsWith("G1 ")
                          || comm.equals("VM Thread")
                      ? "GC"
                      : "other";
          ticks.merge(kind, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (java.io.IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      // the process ended
    }
    return ticks;
  }

  /**
   * Fairness, with {@code jar} as the operator: one operator for two namespaces. The quiet one gets
   * {@code --fairness-quiet} deliveries at {@code --fairness-rate} a second, twice: alone, and
   * after {@code --fairness-noisy} deliveries were created in the noisy one, to a receiver that
   * fails them all at once so that they retry every second.
   */
  Fairness fairness(Path jar) {
    try (TestReceiver ok = TestReceiver.answering(vertx, 204);
        TestReceiver failing = TestReceiver.answering(vertx, 500)) {
      String quiet = cluster.newNamespace("fair-quiet");
      String noisy = cluster.newNamespace("fair-noisy");
      try {
        List<String> endpoints =
            cluster.createEndpoints(
                quiet,
                options.fairnessEndpoints,
                i -> ok.url("/" + quiet + "/ep-" + i),
                "15s",
                null);
        cluster.createEndpoint(
            noisy, "failing", failing.url("/" + noisy), "15s", null, NOISY_SCHEDULE);
        try (OperatorProcess operator =
            options.launchOperator(jar, quiet + "," + noisy, quiet, options.operatorArgs())) {
          operator.awaitReady(Duration.ofSeconds(90));
          cluster.awaitEndpointsReady(quiet, endpoints, Duration.ofSeconds(60));
          cluster.awaitEndpointsReady(noisy, List.of("failing"), Duration.ofSeconds(60));
          try (SucceededWatch watch = new SucceededWatch(cluster.client, quiet)) {
            steady(
                quiet,
                endpoints,
                "warm-",
                Math.min(50, options.fairnessQuiet),
                watch,
                ok); // a warm JVM for both measures
            progress.accept("fairness: quiet namespace alone");
            String metrics = operator.metrics();
            var cpu = CpuShare.take(operator.pid());
            Quiet alone = steady(quiet, endpoints, "alone-", options.fairnessQuiet, watch, ok);
            Map<String, Double> coresAlone = CpuShare.take(operator.pid()).coresSince(cpu);
            String afterAlone = operator.metrics();
            Map<String, Double> apiAlone = apiPerSecond(metrics, afterAlone, alone.seconds());
            double throttledAlone = meanThrottledMs(metrics, afterAlone);
            Map<String, Double> pickupAlone = meanPickupMs(metrics, afterAlone, quiet);
            Concurrent.run(
                options.fairnessNoisy,
                options.concurrency,
                i ->
                    cluster
                        .client
                        .resource(Cluster.delivery(noisy, "noisy-" + i, "failing", i))
                        .create());
            // every noisy delivery failed once and is retrying before the second measure (at most a
            // minute: a slow machine)
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (failing.requests() < options.fairnessNoisy && System.nanoTime() < deadline) {
              Bench.pause(200);
            }
            progress.accept(
                options.fairnessNoisy
                    + " noisy deliveries created, "
                    + failing.requests()
                    + " failed attempts so far; fairness: quiet namespace beside the noisy one");
            long attemptsBefore = failing.requests();
            long start = System.nanoTime();
            metrics = operator.metrics();
            cpu = CpuShare.take(operator.pid());
            Quiet beside = steady(quiet, endpoints, "beside-", options.fairnessQuiet, watch, ok);
            Map<String, Double> coresBeside = CpuShare.take(operator.pid()).coresSince(cpu);
            String afterBeside = operator.metrics();
            Map<String, Double> apiBeside = apiPerSecond(metrics, afterBeside, beside.seconds());
            double throttledBeside = meanThrottledMs(metrics, afterBeside);
            Map<String, Double> pickupBeside = meanPickupMs(metrics, afterBeside, quiet);
            long attempts = failing.requests() - attemptsBefore;
            // the baseline again, once the noisy namespace is quiet: alone / beside / alone, so
            // that the ratio compares the quiet namespace with itself on the same machine
            // before and after, not only before
            progress.accept(
                "fairness: deleting the noisy deliveries, then the quiet one alone again");
            cluster.client.resources(WebhookDelivery.class).inNamespace(noisy).delete();
            awaitQuiet(failing, Duration.ofSeconds(60));
            Quiet aloneAgain = steady(quiet, endpoints, "again-", options.fairnessQuiet, watch, ok);
            return new Fairness(
                jar,
                alone,
                beside,
                aloneAgain,
                attempts / ((System.nanoTime() - start) / 1e9),
                attempts,
                throttledAlone,
                throttledBeside,
                pickupAlone,
                pickupBeside,
                coresAlone,
                coresBeside,
                apiAlone,
                apiBeside);
          }
        }
      } finally {
        cluster.deleteUnlessKept(quiet, options.keepNamespaces, progress);
        cluster.deleteUnlessKept(noisy, options.keepNamespaces, progress);
      }
    }
  }

  /** Until {@code receiver} saw no request for two seconds, at most {@code limit}. */
  private static void awaitQuiet(TestReceiver receiver, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    long seen = receiver.requests();
    long since = System.nanoTime();
    while (System.nanoTime() < deadline && System.nanoTime() - since < 2_000_000_000L) {
      Bench.pause(200);
      if (receiver.requests() != seen) {
        seen = receiver.requests();
        since = System.nanoTime();
      }
    }
  }

  /**
   * Mean wait of the operator's API requests for its client-side limit between two scrapes of
   * /metrics (NaN without the metric).
   */
  private static double meanThrottledMs(String before, String after) {
    double seconds =
        PromText.sum(after, "herald_kube_api_throttled_seconds_sum", "")
            - PromText.sum(before, "herald_kube_api_throttled_seconds_sum", "");
    double count =
        PromText.sum(after, "herald_kube_api_throttled_seconds_count", "")
            - PromText.sum(before, "herald_kube_api_throttled_seconds_count", "");
    return count > 0 ? seconds * 1000 / count : Double.NaN;
  }

  /**
   * The operator's API requests a second between two scrapes, by series ({verb,resource}), largest
   * first (empty for a jar without the counter).
   */
  private static Map<String, Double> apiPerSecond(String before, String after, double seconds) {
    var was = PromText.series(before, "herald_kube_api_requests_total");
    Map<String, Double> rates = new java.util.LinkedHashMap<>();
    PromText.series(after, "herald_kube_api_requests_total").entrySet().stream()
        .map(
            e ->
                Map.entry(e.getKey(), (e.getValue() - was.getOrDefault(e.getKey(), 0.0)) / seconds))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> rates.put(e.getKey(), e.getValue()));
    return rates;
  }

  /**
   * Mean milliseconds of each stage of the operator's herald_delivery_pickup_seconds for {@code
   * namespace} between two scrapes (NaN for a jar without the metric).
   */
  private static Map<String, Double> meanPickupMs(String before, String after, String namespace) {
    Map<String, Double> means = new java.util.LinkedHashMap<>();
    for (String stage : PICKUP_STAGES) {
      String labels = "namespace=\"" + namespace + "\",stage=\"" + stage + "\"";
      double seconds =
          PromText.sum(after, "herald_delivery_pickup_seconds_sum", labels)
              - PromText.sum(before, "herald_delivery_pickup_seconds_sum", labels);
      double count =
          PromText.sum(after, "herald_delivery_pickup_seconds_count", labels)
              - PromText.sum(before, "herald_delivery_pickup_seconds_count", labels);
      means.put(stage, count > 0 ? seconds * 1000 / count : Double.NaN);
    }
    return means;
  }

  /**
   * {@code n} deliveries created at a steady {@code --fairness-rate} a second, each create on time
   * however long the last took.
   */
  private Quiet steady(
      String ns,
      List<String> endpoints,
      String prefix,
      int n,
      SucceededWatch watch,
      TestReceiver receiver) {
    Map<String, Long> sent = new ConcurrentHashMap<>();
    // how long the API server took to answer each create: its own slowdown, which no operator queue
    // changes
    List<Double> createMs = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(prefix + i);
    }
    ExecutorService creators = Executors.newFixedThreadPool(options.concurrency);
    long firstCreate = System.nanoTime();
    try {
      for (int i = 0; i < n; i++) {
        long due = firstCreate + (long) (i * 1e9 / options.fairnessRate);
        long early = due - System.nanoTime();
        if (early > 0) {
          Bench.pause(early / 1_000_000);
        }
        int index = i;
        creators.execute(
            () -> {
              String name = names.get(index);
              long start = System.nanoTime();
              sent.put(name, start);
              cluster
                  .client
                  .resource(
                      Cluster.delivery(ns, name, endpoints.get(index % endpoints.size()), index))
                  .create();
              createMs.add((System.nanoTime() - start) / 1e6);
            });
      }
    } finally {
      creators.shutdown();
    }
    boolean complete = watch.await(names, Duration.ofSeconds(options.timeoutSeconds));
    long last =
        names.stream()
            .map(watch::at)
            .filter(t -> t != null)
            .mapToLong(Long::longValue)
            .max()
            .orElse(System.nanoTime());
    List<Double> latencies = new ArrayList<>();
    List<Double> watchMs = new ArrayList<>();
    for (String name : names) {
      Long arrived = receiver.arrival(name);
      if (arrived != null && sent.containsKey(name)) {
        latencies.add((arrived - sent.get(name)) / 1e6);
      }
      Long seen = watch.seenAt(name);
      if (seen != null && sent.containsKey(name)) {
        watchMs.add((seen - sent.get(name)) / 1e6);
      }
    }
    int succeeded = (int) names.stream().filter(x -> watch.at(x) != null).count();
    double seconds = (last - firstCreate) / 1e9;
    return new Quiet(
        n,
        seconds,
        succeeded / seconds,
        latencies,
        succeeded,
        complete,
        List.copyOf(createMs),
        watchMs);
  }

  /**
   * Limit (a): what a plain client achieves writing the same objects, create + one status write
   * each.
   */
  double rawApiWrites(int n) {
    String ns = cluster.newNamespace("raw-api");
    try {
      long nanos = writeFinished(ns, "ep-0", n, "raw-");
      return n / (nanos / 1e9);
    } finally {
      cluster.deleteUnlessKept(ns, options.keepNamespaces, progress);
    }
  }

  /**
   * Limit (c): the least any operator keeping Herald's contract must ask of the API server per
   * direct delivery at a steady rate beyond its retention budget, made by a plain client: the
   * user's create (without labels, as users create them), the status write, the phase label write
   * (a write to the status subresource cannot change labels) and one delete, which keeps the
   * footprint bounded. Four requests where (a) makes two, so an operator bound by the API server
   * reaches at most this rate, whatever its own cost.
   */
  double rawContractWrites(int n) {
    String ns = cluster.newNamespace("raw-contract");
    String endpoint = "ep-0";
    try {
      long nanos =
          Concurrent.run(
              n,
              options.concurrency,
              i -> {
                WebhookDelivery created =
                    cluster
                        .client
                        .resource(Cluster.delivery(ns, "contract-" + i, endpoint, i))
                        .create();
                WebhookDelivery written =
                    Patches.replaceStatus(
                        cluster.client,
                        WebhookDelivery.class,
                        created,
                        finishedStatus(created, endpoint));
                Patches.mergeLabels(
                    cluster.client,
                    WebhookDelivery.class,
                    written,
                    Map.of(
                        Herald.LABEL_ENDPOINT,
                        endpoint,
                        Herald.LABEL_PHASE,
                        DeliveryPhase.Succeeded.name()));
                cluster.client.resource(written).delete();
              });
      return n / (nanos / 1e9);
    } finally {
      cluster.deleteUnlessKept(ns, options.keepNamespaces, progress);
    }
  }

  /**
   * Creates {@code n} finished deliveries as the operator would leave them; returns the elapsed
   * nanoseconds.
   */
  private long writeFinished(String ns, String endpoint, int n, String prefix) {
    return Concurrent.run(
        n,
        options.concurrency,
        i -> {
          WebhookDelivery delivery = Cluster.delivery(ns, prefix + i, endpoint, i);
          delivery
              .getMetadata()
              .setLabels(
                  Map.of(
                      Herald.LABEL_ENDPOINT,
                      endpoint,
                      Herald.LABEL_PHASE,
                      DeliveryPhase.Succeeded.name()));
          WebhookDelivery created = cluster.client.resource(delivery).create();
          Patches.replaceStatus(
              cluster.client, WebhookDelivery.class, created, finishedStatus(created, endpoint));
        });
  }

  private static WebhookDeliveryStatus finishedStatus(WebhookDelivery delivery, String endpoint) {
    String now = Instant.now().toString();
    AttemptRecord attempt = new AttemptRecord();
    attempt.setAttempt(1);
    attempt.setTime(now);
    attempt.setUrl("https://receiver.example.com/hooks/" + endpoint);
    attempt.setStatusCode(204);
    attempt.setDurationMs(12L);
    WebhookDeliveryStatus status = new WebhookDeliveryStatus();
    status.setPhase(DeliveryPhase.Succeeded);
    status.setAttempts(1);
    status.setMaxAttempts(9);
    status.setFirstAttemptTime(now);
    status.setLastAttemptTime(now);
    status.setCompletionTime(now);
    status.setLastStatusCode(204);
    status.setObservedGeneration(delivery.getMetadata().getGeneration());
    status.setAttemptLog(new java.util.ArrayList<>(java.util.List.of(attempt)));
    return status;
  }

  /** Limit (b): POSTs of a delivery-sized signed-looking body straight to the receiver. */
  double rawPosts(int n) {
    try (TestReceiver receiver = TestReceiver.answering(vertx, 204)) {
      HttpClient http =
          vertx.createHttpClient(
              new HttpClientOptions().setKeepAlive(true),
              new PoolOptions().setHttp1MaxSize(options.concurrency));
      try {
        Buffer body =
            Buffer.buffer(
                cluster
                    .client
                    .getKubernetesSerialization()
                    .asJson(Cluster.delivery("x", "x", "x", 1).getSpec().getPayload()));
        long nanos =
            Concurrent.runAsync(
                n,
                options.concurrency,
                i -> {
                  RequestOptions request =
                      new RequestOptions()
                          .setMethod(HttpMethod.POST)
                          .setHost("127.0.0.1")
                          .setPort(receiver.port())
                          .setURI("/raw")
                          .putHeader("content-type", "application/json")
                          .putHeader("webhook-id", "raw-" + i)
                          .putHeader(
                              "webhook-timestamp", String.valueOf(Instant.now().getEpochSecond()))
                          .putHeader("webhook-signature", "v1,bench");
                  Future<Integer> status =
                      http.request(request)
                          .compose(r -> r.send(body))
                          .compose(r -> r.body().map(b -> r.statusCode()));
                  return status.toCompletionStage().toCompletableFuture();
                });
        return n / (nanos / 1e9);
      } finally {
        http.close();
      }
    }
  }

  /** Memory with {@code history} finished deliveries present when the operator starts. */
  Memory memory(int history) {
    try (TestReceiver receiver = TestReceiver.answering(vertx, 204)) {
      String ns = cluster.newNamespace("mem" + history);
      try {
        // keep more than present: retention must not delete the history being measured
        cluster.createEndpoints(
            ns, 1, i -> receiver.url("/" + ns + "/ep-" + i), "15s", history + 1000);
        long createNanos = history == 0 ? 0 : writeFinished(ns, "ep-0", history, "done-");
        if (history > 0) {
          progress.accept(
              history
                  + " finished deliveries created in "
                  + Stats.fmt(createNanos / 1e9, 1)
                  + " s");
        }
        long start = System.nanoTime();
        try (OperatorProcess operator = options.launchOperator(ns, options.operatorArgs())) {
          try {
            operator.awaitReady(Duration.ofSeconds(90 + history / 100));
          } catch (IllegalStateException e) {
            // an operator that cannot start with this much history (e.g. out of memory) is a result
            // too
            return new Memory(
                history,
                createNanos / 1e9,
                (System.nanoTime() - start) / 1e9,
                Double.NaN,
                false,
                Double.NaN,
                "none",
                operator.rss(),
                operator.peakRss(),
                countDeliveries(ns),
                operator.failure());
          }
          double startSeconds = (System.nanoTime() - start) / 1e9;
          Duration settle = operator.awaitSettled(Duration.ofSeconds(180), 0.05);
          boolean gc = operator.forceGc();
          double heap = PromText.sum(operator.metrics(), "jvm_memory_used_bytes", "area=\"heap\"");
          String heapSource = "metrics";
          if (Double.isNaN(heap)) {
            heap = operator.heapUsedByJstat();
            heapSource = "jstat";
          }
          return new Memory(
              history,
              createNanos / 1e9,
              startSeconds,
              settle.toMillis() / 1000.0,
              gc,
              heap,
              heapSource,
              operator.rss(),
              operator.peakRss(),
              countDeliveries(ns),
              operator.isAlive() ? null : operator.failure());
        }
      } finally {
        cluster.deleteUnlessKept(ns, options.keepNamespaces, progress);
      }
    }
  }

  /**
   * Deliveries in the namespace after the operator settled: retention must not have shrunk the
   * history.
   */
  private long countDeliveries(String ns) {
    var list =
        cluster
            .client
            .resources(WebhookDelivery.class)
            .inNamespace(ns)
            .list(new ListOptionsBuilder().withLimit(1L).build());
    Long remaining = list.getMetadata().getRemainingItemCount();
    return list.getItems().size() + (remaining == null ? 0 : remaining);
  }
}
