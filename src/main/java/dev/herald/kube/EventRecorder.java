package dev.herald.kube;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.api.v1alpha1.ConditionReason;
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
 * condition's reason change, which keeps a failing object from flooding the API server. Messages
 * must never carry key material.
 */
public class EventRecorder {
  public static final String COMPONENT = "herald";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  /**
   * The same reason on the same object at most once in this window: a flapping object cannot flood.
   */
  public static final java.time.Duration MIN_INTERVAL = java.time.Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final Clock clock;

  /**
   * By object and reason, the last Event's time; expired as it goes (on the clock given, so tests
   * can move it), where a prune of the whole map would walk it on every Event once it is large.
   */
  private final Cache<String, java.time.Instant> lastEmitted;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    Ticker ticker =
        () -> {
          java.time.Instant now = clock.instant();
          return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    this.lastEmitted = Caffeine.newBuilder().expireAfterWrite(MIN_INTERVAL).ticker(ticker).build();
  }

  /** An Event of the type the reason calls for (Warning or Normal). */
  public void emit(HasMetadata object, ConditionReason reason, String message) {
    create(object, reason.warning() ? "Warning" : "Normal", reason.name(), message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    create(object, "Warning", reason, message);
  }

  private void create(HasMetadata object, String type, String reason, String message) {
    java.time.Instant at = clock.instant();
    String key = object.getMetadata().getUid() + "/" + reason;
    java.time.Instant previous = lastEmitted.getIfPresent(key);
    if (previous != null && at.isBefore(previous.plus(MIN_INTERVAL))) {
      return;
    }
    lastEmitted.put(key, at);
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
