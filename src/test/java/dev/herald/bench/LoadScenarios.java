package dev.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.api.v1alpha1.WebhookEventSpec;
import dev.herald.testing.OperatorProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scenarios that measure what users ask (issue 12, section 4): paced load, fan-out through
 * events, a backlog in backoff, and a soak. Each runs in a namespace of its own with one operator,
 * and every figure is a ratio or a count within the same run.
 */
final class LoadScenarios {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** API verbs that write (herald_kube_api_requests_total's verb label). */
  static final List<String> WRITE_VERBS =
      List.of("create", "update", "patch", "delete", "deletecollection");

  /** API verbs that read once (watches are streams, not counted per event). */
  static final List<String> READ_VERBS = List.of("get", "list");

  private static final Pattern VERB = Pattern.compile("verb=\"([^\"]+)\"");

  /** A burst through the operator: deliveries/s from first create to last Succeeded. */
  record Capacity(int deliveries, int succeeded, double perSecond, Map<String, Double> cpuMs) {}

  /** One offered rate of the paced load. */
  record PacedStep(
      double fraction,
      double offeredPerSecond,
      int deliveries,
      double achievedPerSecond,
      Paced.Latencies latencies,
      List<Double> createLagMs,
      int createFailures,
      Map<String, Double> cpuMs,
      boolean complete) {}

  /**
   * {@code idleMsPerSecond}: CPU ms a second of each process over 5 s with no deliveries, after the
   * capacity burst's writes stopped: the fixed cost that low rates spread over few deliveries.
   */
  record PacedResult(
      int endpoints,
      Capacity capacity,
      Map<String, Double> idleMsPerSecond,
      List<PacedStep> steps) {}

  /** Events to {@code endpoints} endpoints, beside direct creation through the same operator. */
  record FanOut(
      int endpoints,
      Capacity direct,
      int events,
      long expectedPosts,
      long posts,
      double seconds,
      double postsPerSecond,
      double writesPerEvent,
      List<String> writesBreakdown,
      double readsPerEvent,
      List<String> readsBreakdown,
      Map<String, Double> cpuMsPerPost,
      boolean complete) {}

  /** Deliveries in backoff: how late their retries fire, and new deliveries beside them. */
  record Backlog(
      int size,
      String delay,
      Capacity capacity,
      double rate,
      double createSeconds,
      int createFailures,
      long firstAttempts,
      long retries,
      List<Double> latenessMs,
      double windowSeconds,
      Paced.Latencies idle,
      Paced.Latencies beside,
      Map<String, Double> cpuMsPerDelivery,
      boolean complete) {}

  /** One sample of the soak. */
  record SoakSample(
      double t,
      Map<String, Integer> deliveries,
      Map<String, Integer> events,
      double etcdDbBytes,
      double etcdDbInUseBytes,
      long rss) {
    int deliveriesTotal() {
      return deliveries.values().stream().mapToInt(Integer::intValue).sum();
    }

    int eventsTotal() {
      return events.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  record Soak(
      int endpoints,
      Capacity capacity,
      double rate,
      double minutes,
      int created,
      Paced.Latencies latencies,
      Map<String, Double> cpuMs,
      List<SoakSample> samples) {}

  private final BenchOptions options;
  private final Cluster cluster;
  private final Vertx vertx;
  private final Consumer<String> progress;

  LoadScenarios(BenchOptions options, Cluster cluster, Vertx vertx, Consumer<String> progress) {
    this.options = options;
    this.cluster = cluster;
    this.vertx = vertx;
    this.progress = progress;
  }

  // ---- paced load ----

  PacedResult paced() {
    try (KeyedReceiver receiver = KeyedReceiver.ok(vertx)) {
      String ns = cluster.newNamespace("paced");
      try {
        List<String> endpoints = endpoints(ns, options.pacedEndpoints, receiver, null);
        try (OperatorProcess operator = operator(ns, endpoints);
            SucceededWatch watch = new SucceededWatch(cluster.client, ns)) {
          Capacity capacity =
              burst(ns, endpoints, "cap-", options.capacityDeliveries, watch, operator);
          progress.accept(
              "paced: capacity " + Stats.fmt(capacity.perSecond(), 1) + " deliveries/s (burst)");
          awaitWritesSettled(operator);
          CpuCost.Snapshot idleStart = CpuCost.take(operator.pid());
          Bench.pause(5000);
          // ms per second: 5 s of idle CPU per 5 units
          Map<String, Double> idle = CpuCost.msPer(idleStart, CpuCost.take(operator.pid()), 5);
          List<PacedStep> steps = new ArrayList<>();
          int step = 0;
          for (double fraction : options.pacedRates) {
            double rate = fraction * capacity.perSecond();
            int n = Math.max(10, (int) Math.round(rate * options.pacedSeconds));
            progress.accept(
                "paced: "
                    + Math.round(fraction * 100)
                    + "% = "
                    + Stats.fmt(rate, 1)
                    + " deliveries/s for "
                    + options.pacedSeconds
                    + " s ("
                    + n
                    + ")");
            PacedStep s =
                pacedStep(
                    ns,
                    endpoints,
                    "p" + step++ + "-",
                    fraction,
                    rate,
                    n,
                    watch,
                    receiver,
                    operator);
            progress.accept(
                "  -> p50 "
                    + Stats.fmt(Stats.percentile(s.latencies().ms(), 50), 0)
                    + " ms, p99 "
                    + Stats.fmt(Stats.percentile(s.latencies().ms(), 99), 0)
                    + " ms");
            steps.add(s);
          }
          return new PacedResult(endpoints.size(), capacity, idle, steps);
        }
      } finally {
        cluster.deleteUnlessKept(ns, options.keepNamespaces, progress);
      }
    }
  }

  private PacedStep pacedStep(
      String ns,
      List<String> endpoints,
      String prefix,
      double fraction,
      double rate,
      int n,
      SucceededWatch watch,
      KeyedReceiver receiver,
      OperatorProcess operator) {
    List<String> names = names(prefix, n);
    CpuCost.Snapshot cpu = CpuCost.take(operator.pid());
    long start = System.nanoTime() + 50_000_000L;
    long[] due = Paced.schedule(start, rate, n);
    OpenLoop loop = openLoop(ns, names, endpoints, due);
    boolean complete = watch.await(names, Duration.ofSeconds(options.timeoutSeconds));
    long cutOff = System.nanoTime();
    CpuCost.Snapshot after = CpuCost.take(operator.pid());
    int succeeded = (int) names.stream().filter(x -> watch.at(x) != null).count();
    long last = lastAt(names, watch);
    return new PacedStep(
        fraction,
        rate,
        n,
        succeeded / ((last - start) / 1e9),
        Paced.fromIntended(names, due, arrivals(ns, names, endpoints, receiver), cutOff),
        loop.lagMs(),
        loop.failures(),
        CpuCost.msPer(cpu, after, succeeded),
        complete);
  }

  /** Send times and failed creates of an open-loop run. */
  record OpenLoop(List<Double> lagMs, int failures) {}

  /**
   * Creates delivery {@code names[i]} (to endpoint i mod the endpoints) at {@code due[i]}, on a
   * pool so that a slow create never holds back the next one's send; a create that waits for a
   * thread goes out late and its latency still counts from {@code due[i]}.
   */
  private OpenLoop openLoop(String ns, List<String> names, List<String> endpoints, long[] due) {
    ExecutorService pool = Executors.newFixedThreadPool(options.concurrency * 2);
    List<Double> lag = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failures = new AtomicInteger();
    try {
      for (int i = 0; i < names.size(); i++) {
        long wait;
        while ((wait = due[i] - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        int index = i;
        pool.execute(
            () -> {
              lag.add((System.nanoTime() - due[index]) / 1e6);
              try {
                cluster
                    .client
                    .resource(
                        Cluster.delivery(
                            ns, names.get(index), endpoints.get(index % endpoints.size()), index))
                    .create();
              } catch (KubernetesClientException e) {
                failures.incrementAndGet();
              }
            });
      }
    } finally {
      pool.shutdown();
      try {
        pool.awaitTermination(10, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new OpenLoop(List.copyOf(lag), failures.get());
  }

  // ---- fan-out ----

  List<FanOut> fanOut() {
    List<FanOut> results = new ArrayList<>();
    for (int count : options.fanoutEndpoints) {
      progress.accept("fan-out: " + options.fanoutEvents + " events to " + count + " endpoints");
      FanOut f = fanOut(count);
      progress.accept(
          "  -> "
              + Stats.fmt(f.postsPerSecond(), 1)
              + " POSTs/s through events, "
              + Stats.fmt(f.direct().perSecond(), 1)
              + " deliveries/s direct, "
              + Stats.fmt(f.writesPerEvent(), 2)
              + " API writes/event");
      results.add(f);
    }
    return results;
  }

  private FanOut fanOut(int count) {
    try (KeyedReceiver receiver = KeyedReceiver.ok(vertx)) {
      String ns = cluster.newNamespace("fan" + count);
      try {
        List<String> endpoints = endpoints(ns, count, receiver, null);
        try (OperatorProcess operator = operator(ns, endpoints);
            SucceededWatch watch = new SucceededWatch(cluster.client, ns)) {
          Capacity direct = burst(ns, endpoints, "d-", options.fanoutDirect, watch, operator);
          awaitWritesSettled(operator);
          String metricsBefore = operator.metrics();
          CpuCost.Snapshot cpu = CpuCost.take(operator.pid());
          int events = options.fanoutEvents;
          List<String> keys = new ArrayList<>();
          for (int i = 0; i < events; i++) {
            for (String endpoint : endpoints) {
              keys.add(KeyedReceiver.key(path(ns, endpoint), eventId(count, i)));
            }
          }
          long firstCreate = System.nanoTime();
          Concurrent.run(
              events,
              options.concurrency,
              i -> cluster.client.resource(event(ns, "ev-" + i, eventId(count, i), i)).create());
          boolean complete = awaitKeys(receiver, keys, Duration.ofSeconds(options.timeoutSeconds));
          long last =
              keys.stream()
                  .map(receiver.firstArrivals()::get)
                  .filter(t -> t != null)
                  .mapToLong(Long::longValue)
                  .max()
                  .orElse(System.nanoTime());
          long posts = keys.stream().filter(receiver.firstArrivals()::containsKey).count();
          awaitWritesSettled(operator);
          String metricsAfter = operator.metrics();
          CpuCost.Snapshot after = CpuCost.take(operator.pid());
          double seconds = (last - firstCreate) / 1e9;
          Map<String, Double> writes = writesBySeries(metricsBefore, metricsAfter);
          Map<String, Double> reads = requestsBySeries(metricsBefore, metricsAfter, READ_VERBS);
          return new FanOut(
              count,
              direct,
              events,
              keys.size(),
              posts,
              seconds,
              posts / seconds,
              metricsAfter.isEmpty() ? Double.NaN : total(writes) / events,
              perEvent(writes, events),
              metricsAfter.isEmpty() ? Double.NaN : total(reads) / events,
              perEvent(reads, events),
              CpuCost.msPer(cpu, after, posts),
              complete);
        }
      } finally {
        cluster.deleteUnlessKept(ns, options.keepNamespaces, progress);
      }
    }
  }

  private static String eventId(int endpoints, int i) {
    return "evt-" + endpoints + "-" + i;
  }

  /**
   * The operator's write requests between two scrapes, by series (verb and resource); empty when
   * the jar has no counter.
   */
  static Map<String, Double> writesBySeries(String before, String after) {
    return requestsBySeries(before, after, WRITE_VERBS);
  }

  /** The same for requests with one of {@code verbs}. */
  static Map<String, Double> requestsBySeries(String before, String after, List<String> verbs) {
    Map<String, Double> was = PromText.series(before, ApiCount.OPERATOR_COUNTER);
    Map<String, Double> requests = new TreeMap<>();
    PromText.series(after, ApiCount.OPERATOR_COUNTER)
        .forEach(
            (labels, value) -> {
              Matcher verb = VERB.matcher(labels);
              double delta = value - was.getOrDefault(labels, 0.0);
              if (verb.find() && verbs.contains(verb.group(1)) && delta > 0) {
                requests.put(labels, delta);
              }
            });
    return requests;
  }

  private static double total(Map<String, Double> series) {
    return series.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** The largest series first, each per event: "0.35 {resource=...,verb=...}". */
  private static List<String> perEvent(Map<String, Double> series, int events) {
    return series.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(6)
        .map(e -> Stats.fmt(e.getValue() / events, 2) + " " + e.getKey())
        .toList();
  }

  /**
   * Until the operator's write counter has not moved for 3 s (at most 60 s): status writes and
   * retention deletes after the last POST belong to the measure.
   */
  private static void awaitWritesSettled(OperatorProcess operator) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    double last = Double.NaN;
    int still = 0;
    while (System.nanoTime() < deadline && still < 3) {
      String metrics = operator.metrics();
      double writes = total(writesBySeries("", metrics));
      still = writes == last ? still + 1 : 0;
      last = writes;
      Bench.pause(1000);
    }
  }

  private static boolean awaitKeys(KeyedReceiver receiver, List<String> keys, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (receiver.firstArrivals().keySet().containsAll(keys)) {
        return true;
      }
      Bench.pause(100);
    }
    return false;
  }

  // ---- backlog ----

  Backlog backlog() {
    try (KeyedReceiver flaky = KeyedReceiver.failingFirst(vertx);
        KeyedReceiver probes = KeyedReceiver.ok(vertx)) {
      String ns = cluster.newNamespace("backlog");
      try {
        List<String> flakyEndpoints = new ArrayList<>();
        List<String> probeEndpoints = new ArrayList<>();
        for (int i = 0; i < options.backlogEndpoints; i++) {
          String name = "flaky-" + i;
          cluster.createEndpoint(
              ns, name, flaky.url(path(ns, name)), "15s", null, List.of(options.backlogDelay));
          flakyEndpoints.add(name);
          String probe = "probe-" + i;
          cluster.createEndpoint(ns, probe, probes.url(path(ns, probe)), "15s", null);
          probeEndpoints.add(probe);
        }
        List<String> all = new ArrayList<>(flakyEndpoints);
        all.addAll(probeEndpoints);
        try (OperatorProcess operator = operator(ns, all);
            SucceededWatch watch = new SucceededWatch(cluster.client, ns);
            NextAttemptWatch next = new NextAttemptWatch(cluster, ns)) {
          // The backlog is created open loop at a share of this capacity, so that its first
          // attempts, and its retries as they fall due at the same pace, stay within what the
          // operator sustains: lateness then measures the retry timing, not an overload.
          Capacity capacity =
              burst(ns, probeEndpoints, "cap-", options.capacityDeliveries, watch, operator);
          double rate = capacity.perSecond() * options.backlogShare;
          progress.accept(
              "backlog: capacity "
                  + Stats.fmt(capacity.perSecond(), 1)
                  + "/s; idle probe, then "
                  + options.backlog
                  + " deliveries at "
                  + Stats.fmt(rate, 1)
                  + "/s");
          Paced.Latencies idle = probe(ns, probeEndpoints, "idle-", probes);
          CpuCost.Snapshot cpu = CpuCost.take(operator.pid());
          List<String> names = names("b-", options.backlog);
          long createStart = System.nanoTime();
          long[] due = Paced.schedule(createStart + 50_000_000L, rate, names.size());
          ExecutorService creator = Executors.newSingleThreadExecutor();
          Future<OpenLoop> creating =
              creator.submit(() -> openLoop(ns, names, flakyEndpoints, due));
          creator.shutdown();
          // the probe goes once retries have been falling due for a while (beside the first
          // attempts still being made, if the delay is shorter than the creation)
          long probeAfter = Duration.ofSeconds(5).toMillis();
          while (!creating.isDone()
              && (next.earliest() == null
                  || System.currentTimeMillis() < next.earliest().toEpochMilli() + probeAfter)) {
            Bench.pause(200);
          }
          progress.accept("backlog: probe while the retries fall due");
          Paced.Latencies beside = probe(ns, probeEndpoints, "beside-", probes);
          OpenLoop loop = join(creating);
          double createSeconds = (System.nanoTime() - createStart) / 1e9;
          progress.accept(
              options.backlog
                  + " backlog deliveries created in "
                  + Stats.fmt(createSeconds, 1)
                  + " s (scheduled over "
                  + Stats.fmt((due[due.length - 1] - createStart) / 1e9, 1)
                  + " s); waiting for their failed first attempts");
          Duration firstTimeout = Duration.ofSeconds(300);
          long deadline = System.nanoTime() + firstTimeout.toNanos();
          while ((flaky.firstArrivals().size() < options.backlog || next.count() < options.backlog)
              && System.nanoTime() < deadline) {
            Bench.pause(500);
          }
          long firstAttempts = flaky.firstArrivals().size();
          Instant earliest = next.earliest();
          Instant latest = next.latest();
          progress.accept(
              firstAttempts
                  + " first attempts failed, "
                  + next.count()
                  + " retries scheduled, due "
                  + earliest
                  + " .. "
                  + latest);
          long retryDeadline =
              System.nanoTime()
                  + Duration.ofSeconds(
                          300
                              + (latest == null
                                  ? 0
                                  : Math.max(
                                      0,
                                      (latest.toEpochMilli() - System.currentTimeMillis()) / 1000)))
                      .toNanos();
          while (flaky.secondArrivals().size() < firstAttempts
              && System.nanoTime() < retryDeadline) {
            Bench.pause(500);
          }
          CpuCost.Snapshot after = CpuCost.take(operator.pid());
          List<Double> lateness = new ArrayList<>();
          for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String endpoint = flakyEndpoints.get(i % flakyEndpoints.size());
            Long fired =
                flaky.secondArrivalWallMillis().get(KeyedReceiver.key(path(ns, endpoint), name));
            Instant dueAt = next.due(name);
            if (fired != null && dueAt != null) {
              lateness.add((double) (fired - dueAt.toEpochMilli()));
            }
          }
          long retries = flaky.secondArrivals().size();
          return new Backlog(
              options.backlog,
              options.backlogDelay,
              capacity,
              rate,
              createSeconds,
              loop.failures(),
              firstAttempts,
              retries,
              lateness,
              earliest == null || latest == null
                  ? Double.NaN
                  : (latest.toEpochMilli() - earliest.toEpochMilli()) / 1000.0,
              idle,
              beside,
              CpuCost.msPer(cpu, after, options.backlog),
              retries >= options.backlog);
        }
      } finally {
        cluster.deleteUnlessKept(ns, options.keepNamespaces, progress);
      }
    }
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** {@code --backlog-probe} deliveries at {@code --backlog-probe-rate}, open loop. */
  private Paced.Latencies probe(
      String ns, List<String> endpoints, String prefix, KeyedReceiver receiver) {
    List<String> names = names(prefix, options.backlogProbe);
    long[] due =
        Paced.schedule(System.nanoTime() + 50_000_000L, options.backlogProbeRate, names.size());
    openLoop(ns, names, endpoints, due);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      keys.add(KeyedReceiver.key(path(ns, endpoints.get(i % endpoints.size())), names.get(i)));
    }
    awaitKeys(receiver, keys, Duration.ofSeconds(120));
    return Paced.fromIntended(
        names, due, arrivals(ns, names, endpoints, receiver), System.nanoTime());
  }

  /** Each backlog delivery's first scheduled retry ({@code status.nextAttemptTime} once Failed). */
  private static final class NextAttemptWatch implements AutoCloseable {
    private final Map<String, Instant> due = new ConcurrentHashMap<>();
    private final io.fabric8.kubernetes.client.Watch watch;

    NextAttemptWatch(Cluster cluster, String ns) {
      // a plain watch, not an informer: thousands of objects need not be cached in the bench
      watch =
          cluster
              .client
              .resources(WebhookDelivery.class)
              .inNamespace(ns)
              .watch(
                  new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(Action action, WebhookDelivery d) {
                      if (d.getStatus() != null
                          && d.getStatus().getNextAttemptTime() != null
                          && d.getStatus().getAttempts() != null
                          && d.getStatus().getAttempts() == 1) {
                        due.putIfAbsent(
                            d.getMetadata().getName(),
                            Instant.parse(d.getStatus().getNextAttemptTime()));
                      }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                      // the scenario reports what it saw; a closed watch leaves later ones unknown
                    }
                  });
    }

    int count() {
      return due.size();
    }

    Instant due(String name) {
      return due.get(name);
    }

    Instant earliest() {
      return due.values().stream().min(Instant::compareTo).orElse(null);
    }

    Instant latest() {
      return due.values().stream().max(Instant::compareTo).orElse(null);
    }

    @Override
    public void close() {
      watch.close();
    }
  }

  // ---- soak ----

  Soak soak() {
    try (KeyedReceiver receiver = KeyedReceiver.ok(vertx)) {
      String ns = cluster.newNamespace("soak");
      try {
        List<String> endpoints = endpoints(ns, options.soakEndpoints, receiver, null);
        try (OperatorProcess operator = operator(ns, endpoints);
            SucceededWatch watch = new SucceededWatch(cluster.client, ns);
            PhaseCounter<WebhookDelivery> deliveries =
                new PhaseCounter<>(
                    cluster.client.resources(WebhookDelivery.class).inNamespace(ns).inform(),
                    d ->
                        d.getStatus() == null || d.getStatus().getPhase() == null
                            ? "new"
                            : d.getStatus().getPhase().name());
            PhaseCounter<WebhookEvent> events =
                new PhaseCounter<>(
                    cluster.client.resources(WebhookEvent.class).inNamespace(ns).inform(),
                    LoadScenarios::eventPhase)) {
          Capacity capacity =
              burst(ns, endpoints, "cap-", options.capacityDeliveries, watch, operator);
          double rate = capacity.perSecond() * 0.5;
          int n = Math.max(10, (int) Math.round(rate * options.soakMinutes * 60));
          progress.accept(
              "soak: "
                  + Stats.fmt(rate, 1)
                  + " deliveries/s (50% of the burst's "
                  + Stats.fmt(capacity.perSecond(), 1)
                  + ") for "
                  + options.soakMinutes
                  + " min over "
                  + endpoints.size()
                  + " endpoints ("
                  + n
                  + " deliveries)");
          List<SoakSample> samples = Collections.synchronizedList(new ArrayList<>());
          long start = System.nanoTime() + 50_000_000L;
          var sampler = Executors.newSingleThreadScheduledExecutor();
          sampler.scheduleAtFixedRate(
              () -> {
                String etcd = LabProcesses.etcdMetrics();
                samples.add(
                    new SoakSample(
                        (System.nanoTime() - start) / 1e9,
                        deliveries.counts(),
                        events.counts(),
                        PromText.sum(etcd, "etcd_mvcc_db_total_size_in_bytes", ""),
                        PromText.sum(etcd, "etcd_mvcc_db_total_size_in_use_in_bytes", ""),
                        operator.rss()));
              },
              0,
              Math.round(options.soakSampleSeconds * 1000),
              TimeUnit.MILLISECONDS);
          CpuCost.Snapshot cpu = CpuCost.take(operator.pid());
          List<String> names = names("s-", n);
          long[] due = Paced.schedule(start, rate, n);
          openLoop(ns, names, endpoints, due);
          sampler.shutdown();
          boolean complete = watch.await(names, Duration.ofSeconds(options.timeoutSeconds));
          CpuCost.Snapshot after = CpuCost.take(operator.pid());
          int succeeded = (int) names.stream().filter(x -> watch.at(x) != null).count();
          progress.accept(
              "soak: " + succeeded + "/" + n + " succeeded" + (complete ? "" : " (timeout)"));
          return new Soak(
              endpoints.size(),
              capacity,
              rate,
              options.soakMinutes,
              n,
              Paced.fromIntended(
                  names, due, arrivals(ns, names, endpoints, receiver), System.nanoTime()),
              CpuCost.msPer(cpu, after, succeeded),
              List.copyOf(samples));
        }
      } finally {
        cluster.deleteUnlessKept(ns, options.keepNamespaces, progress);
      }
    }
  }

  private static String eventPhase(WebhookEvent e) {
    if (e.getStatus() == null || e.getStatus().getConditions() == null) {
      return "new";
    }
    return e.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(Condition::getReason)
        .findFirst()
        .orElse("new");
  }

  /** Objects of one kind in a namespace, counted by phase from an informer's cache. */
  private static final class PhaseCounter<T> implements AutoCloseable {
    private final SharedIndexInformer<T> informer;
    private final Function<T, String> phase;

    PhaseCounter(SharedIndexInformer<T> informer, Function<T, String> phase) {
      this.informer = informer;
      this.phase = phase;
    }

    Map<String, Integer> counts() {
      Map<String, Integer> counts = new TreeMap<>();
      for (T object : informer.getStore().list()) {
        counts.merge(phase.apply(object), 1, Integer::sum);
      }
      return counts;
    }

    @Override
    public void close() {
      informer.close();
    }
  }

  // ---- shared ----

  /**
   * {@code n} deliveries created at {@code --concurrency} as fast as the API server takes them: the
   * capacity that paced load and soak take their rates from.
   */
  private Capacity burst(
      String ns,
      List<String> endpoints,
      String prefix,
      int n,
      SucceededWatch watch,
      OperatorProcess operator) {
    List<String> names = names(prefix, n);
    CpuCost.Snapshot cpu = CpuCost.take(operator.pid());
    long first = System.nanoTime();
    Concurrent.run(
        n,
        options.concurrency,
        i ->
            cluster
                .client
                .resource(
                    Cluster.delivery(ns, names.get(i), endpoints.get(i % endpoints.size()), i))
                .create());
    watch.await(names, Duration.ofSeconds(options.timeoutSeconds));
    CpuCost.Snapshot after = CpuCost.take(operator.pid());
    int succeeded = (int) names.stream().filter(x -> watch.at(x) != null).count();
    return new Capacity(
        n,
        succeeded,
        succeeded / ((lastAt(names, watch) - first) / 1e9),
        CpuCost.msPer(cpu, after, succeeded));
  }

  private static long lastAt(List<String> names, SucceededWatch watch) {
    return names.stream()
        .map(watch::at)
        .filter(t -> t != null)
        .mapToLong(Long::longValue)
        .max()
        .orElse(System.nanoTime());
  }

  /** First arrival of each delivery (by name) at its endpoint's path. */
  private static Map<String, Long> arrivals(
      String ns, List<String> names, List<String> endpoints, KeyedReceiver receiver) {
    Map<String, Long> arrivals = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Long at = receiver.firstById(path(ns, endpoints.get(i % endpoints.size())), names.get(i));
      if (at != null) {
        arrivals.put(names.get(i), at);
      }
    }
    return arrivals;
  }

  private List<String> endpoints(String ns, int count, KeyedReceiver receiver, Integer keep) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "ep-" + i;
      cluster.createEndpoint(ns, name, receiver.url(path(ns, name)), "15s", keep);
      names.add(name);
    }
    return names;
  }

  private OperatorProcess operator(String ns, List<String> endpoints) {
    OperatorProcess operator = options.launchOperator(ns, options.operatorArgs());
    try {
      operator.awaitReady(Duration.ofSeconds(90));
      cluster.awaitEndpointsReady(ns, endpoints, Duration.ofSeconds(120));
      return operator;
    } catch (RuntimeException e) {
      operator.close();
      throw e;
    }
  }

  private static String path(String ns, String endpoint) {
    return "/" + ns + "/" + endpoint;
  }

  private static List<String> names(String prefix, int n) {
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(prefix + i);
    }
    return names;
  }

  static WebhookEvent event(String ns, String name, String eventId, int i) {
    WebhookEvent event = new WebhookEvent();
    event.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    WebhookEventSpec spec = new WebhookEventSpec();
    spec.setEventType("order.created");
    spec.setEventId(eventId);
    ObjectNode payload = JSON.createObjectNode();
    payload.put("orderId", i).put("customer", "cus_" + (100000 + i)).put("total", "42.00");
    payload.put("note", "benchmark event " + i);
    spec.setPayload(payload);
    event.setSpec(spec);
    return event;
  }
}
