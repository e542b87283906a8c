package dev.herald.metrics;

import dev.herald.api.v1alpha1.ErrorClass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Herald's Prometheus metrics. Labels are namespace and endpoint (and the attempt's result), never
 * the delivery: one series per delivery would grow without bound.
 */
public final class HeraldMetrics {
  /** Deliveries not finished yet, per endpoint, and how long the oldest has waited. */
  public record Pending(String namespace, String endpoint, long count, Duration oldestAge) {}

  private final MeterRegistry registry;
  private final Map<Tags, AtomicLong> consecutiveFailures = new ConcurrentHashMap<>();
  private final MultiGauge pendingCount;
  private final MultiGauge oldestPendingAge;
  private final DeliveryPickup pickup;

  public HeraldMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.pickup = new DeliveryPickup(this, System::nanoTime);
    this.pendingCount =
        MultiGauge.builder("herald.deliveries.pending")
            .description("Deliveries not finished yet (Pending or Failed)")
            .register(registry);
    this.oldestPendingAge =
        MultiGauge.builder("herald.delivery.oldest.pending.age")
            .baseUnit("seconds")
            .description("Age of the oldest unfinished delivery")
            .register(registry);
  }

  /**
   * The operator's registry. JVM memory is bound too: heap used against the number of deliveries
   * present is how one checks that memory follows work in flight, not history (bench/).
   */
  public static HeraldMetrics prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    return new HeraldMetrics(registry);
  }

  /** One attempt; {@code errorClass} null when it succeeded. */
  public void attempt(String namespace, String endpoint, ErrorClass errorClass, Duration duration) {
    Tags tags = Tags.of("namespace", namespace, "endpoint", endpoint);
    Counter.builder("herald.delivery.attempts")
        .description("Delivery attempts by result: success or the error class")
        .tags(tags.and("result", errorClass == null ? "success" : errorClass.name()))
        .register(registry)
        .increment();
    Timer.builder("herald.delivery.attempt.duration")
        .description("Time from sending an attempt to its outcome")
        .tags(tags)
        .publishPercentileHistogram()
        .register(registry)
        .record(duration);
  }

  public void exhausted(String namespace, String endpoint) {
    Counter.builder("herald.deliveries.exhausted")
        .description("Deliveries that ran out of retries or got 410 Gone")
        .tags("namespace", namespace, "endpoint", endpoint)
        .register(registry)
        .increment();
  }

  public void consecutiveFailures(String namespace, String endpoint, long value) {
    Tags tags = Tags.of("namespace", namespace, "endpoint", endpoint);
    consecutiveFailures
        .computeIfAbsent(
            tags,
            t -> {
              AtomicLong holder = new AtomicLong();
              Gauge.builder("herald.endpoint.consecutive.failures", holder, AtomicLong::get)
                  .description("Failed attempts in a row to the endpoint")
                  .tags(t)
                  .register(registry);
              return holder;
            })
        .set(value);
  }

  /** Replaces the pending series with this snapshot (endpoints with none pending disappear). */
  public void pending(Collection<Pending> snapshot) {
    pendingCount.register(
        snapshot.stream()
            .map(
                p ->
                    MultiGauge.Row.of(
                        Tags.of("namespace", p.namespace(), "endpoint", p.endpoint()), p.count()))
            .toList(),
        true);
    oldestPendingAge.register(
        snapshot.stream()
            .map(
                p ->
                    MultiGauge.Row.of(
                        Tags.of("namespace", p.namespace(), "endpoint", p.endpoint()),
                        p.oldestAge().toMillis() / 1000.0))
            .toList(),
        true);
  }

  /** A delivery began to wait for its endpoint's spec.rateLimit (once per wait, not per look). */
  public void rateLimited(String namespace, String endpoint) {
    Counter.builder("herald.rate.limited")
        .description("Deliveries that had to wait for their endpoint's spec.rateLimit")
        .tags("namespace", namespace, "endpoint", endpoint)
        .register(registry)
        .increment();
  }

  /** How long a delivery waited for its endpoint's spec.rateLimit before it was sent. */
  public void rateLimitWait(String namespace, String endpoint, Duration waited) {
    Timer.builder("herald.rate.limit.wait")
        .description("Time deliveries waited for their endpoint's spec.rateLimit before sending")
        .tags("namespace", namespace, "endpoint", endpoint)
        .register(registry)
        .record(waited);
  }

  /**
   * One request of the operator to the Kubernetes API server (throttled ones once they are sent).
   */
  public void kubeApiRequest(String verb, String resource) {
    Counter.builder("herald.kube.api.requests")
        .description("Requests to the Kubernetes API server by verb and resource")
        .tags("verb", verb, "resource", resource)
        .register(registry)
        .increment();
  }

  /** How long one request waited for the client-side rate limit (zero when it did not). */
  public void kubeApiThrottled(Duration waited) {
    Timer.builder("herald.kube.api.throttled")
        .description(
            "Time Kubernetes API requests waited for the client-side limits (--kube-api-qps, --kube-api-max-in-flight)")
        .register(registry)
        .record(waited);
  }

  /**
   * A finished object deleted by retention: {@code reason} is ttl, keep (an endpoint's
   * history.keep) or budget (the namespace's or cluster's budget of finished objects).
   */
  public void evicted(String namespace, String kind, String reason) {
    Counter.builder("herald.evictions")
        .description(
            "Finished objects deleted by retention, by kind and reason (ttl, keep, budget)")
        .tags("namespace", namespace, "kind", kind, "reason", reason)
        .register(registry)
        .increment();
  }

  /** An Event not written: its namespace had used its budget of Events about objects of kind. */
  public void eventDropped(String namespace, String kind) {
    Counter.builder("herald.events.dropped")
        .description(
            "Events not written because their namespace used up its budget of Events for that kind")
        .tags("namespace", namespace, "kind", kind)
        .register(registry)
        .increment();
  }

  /** Where new deliveries wait before their first attempt is sent (see {@link DeliveryPickup}). */
  public DeliveryPickup pickup() {
    return pickup;
  }

  void pickupStage(String namespace, String stage, Duration duration) {
    Timer.builder("herald.delivery.pickup")
        .description(
            "Time from the informer handing a new delivery to JOSDK to its first attempt being sent, by stage")
        .tags("namespace", namespace, "stage", stage)
        .publishPercentileHistogram()
        .register(registry)
        .record(duration);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition, or empty when the registry is not a Prometheus one. */
  public String scrape() {
    return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : "";
  }
}
