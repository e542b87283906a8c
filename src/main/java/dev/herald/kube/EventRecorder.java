package dev.herald.kube;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.api.v1alpha1.ConditionReason;
import dev.herald.kube.client.TokenBucket;
import dev.herald.metrics.HeraldMetrics;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events so {@code kubectl describe} shows what happened. Callers emit only on a
 * condition's reason change, which keeps a failing object from flooding the API server; a budget
 * per namespace and kind keeps a thousand failing objects from doing it together. Messages must
 * never carry key material.
 */
public class EventRecorder {
  public static final String COMPONENT = "herald";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  /**
   * The same reason on the same object at most once in this window: a flapping object cannot flood.
   */
  public static final java.time.Duration MIN_INTERVAL = java.time.Duration.ofSeconds(60);

  /**
   * Events about objects of one kind in one namespace: this many at once, then {@link
   * #BUDGET_PER_SECOND}. A tenant's thousand deliveries failing together then cost the API server,
   * and etcd for the hour it keeps Events, about fifty Events and one a second, not a thousand; by
   * kind, so its deliveries never use up the budget of the endpoint Events that say why.
   */
  public static final int BUDGET_BURST = 50;

  public static final double BUDGET_PER_SECOND = 1.0;

  private final KubernetesClient client;
  private final Clock clock;
  private final HeraldMetrics metrics;
  private final Ticker ticker;

  /** By namespace and kind; a bucket unused for ten minutes is full again, so it is let go. */
  private final Cache<String, TokenBucket> budgets;

  /**
   * By object and reason, the last Event's time; expired as it goes (on the clock given, so tests
   * can move it), where a prune of the whole map would walk it on every Event once it is large.
   */
  private final Cache<String, java.time.Instant> lastEmitted;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this(client, clock, null);
  }

  /** With {@code metrics}, Events left out over the budget are counted there. */
  public EventRecorder(KubernetesClient client, Clock clock, HeraldMetrics metrics) {
    this.client = client;
    this.clock = clock;
    this.metrics = metrics;
    this.ticker =
        () -> {
          java.time.Instant now = clock.instant();
          return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    this.lastEmitted = Caffeine.newBuilder().expireAfterWrite(MIN_INTERVAL).ticker(ticker).build();
    this.budgets =
        Caffeine.newBuilder()
            .expireAfterAccess(java.time.Duration.ofMinutes(10))
            .ticker(ticker)
            .build();
  }

  /** An Event of the type the reason calls for (Warning or Normal). */
  public void emit(HasMetadata object, ConditionReason reason, String message) {
    create(object, reason.warning() ? "Warning" : "Normal", reason.name(), message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    create(object, "Warning", reason, message);
  }

  private boolean withinBudget(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    String kind = object.getKind();
    TokenBucket budget =
        budgets.get(
            namespace + "/" + kind,
            k -> new TokenBucket(BUDGET_PER_SECOND, BUDGET_BURST, ticker::read));
    if (budget.tryTake()) {
      return true;
    }
    if (metrics != null) {
      metrics.eventDropped(namespace, kind);
    }
    LOG.debug(
        "event on {} {}/{} not recorded: over the budget of Events for its namespace and kind",
        kind,
        namespace,
        object.getMetadata().getName());
    return false;
  }

  private void create(HasMetadata object, String type, String reason, String message) {
    java.time.Instant at = clock.instant();
    String key = object.getMetadata().getUid() + "/" + reason;
    java.time.Instant previous = lastEmitted.getIfPresent(key);
    if (previous != null && at.isBefore(previous.plus(MIN_INTERVAL))) {
      return;
    }
    lastEmitted.put(key, at);
    if (!withinBudget(object)) {
      return;
    }
    String now = Times.format(at);
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                object.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
            .withNamespace(object.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(object.getApiVersion())
                    .withKind(object.getKind())
                    .withName(object.getMetadata().getName())
                    .withNamespace(object.getMetadata().getNamespace())
                    .withUid(object.getMetadata().getUid())
                    .withResourceVersion(object.getMetadata().getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .build();
    try {
      client
          .v1()
          .events()
          .inNamespace(object.getMetadata().getNamespace())
          .resource(event)
          .create();
    } catch (KubernetesClientException e) {
      // An Event is a courtesy: losing one must never fail a reconcile or a delivery.
      LOG.warn(
          "could not record event {} on {}/{}: {}",
          reason,
          object.getKind(),
          object.getMetadata().getName(),
          e.getMessage());
    }
  }
}
