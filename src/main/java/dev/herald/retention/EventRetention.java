package dev.herald.retention;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.delivery.DeliveryStatuses;
import dev.herald.kube.LabelValues;
import dev.herald.kube.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which WebhookEvents go. An event is finished once it has fanned out ({@code status.fanOutTime})
 * and none of its deliveries (label {@code herald.dev/event}) is unfinished; it finished when the
 * last of them did (its fan-out time when it has none). A finished event goes {@code
 * ttlAfterFinished} after it finished, or sooner when its namespace or the cluster holds more
 * finished events than the budget. Its deliveries are owned by it, so deleting it deletes them too:
 * an event with any unfinished delivery is never a candidate.
 */
public final class EventRetention {
  /**
   * An event younger than this since its fan-out is left alone whatever the budget: its deliveries
   * may not have reached the informer yet.
   */
  public static final Duration MIN_AGE = Duration.ofSeconds(30);

  private EventRetention() {}

  /** An event to delete and why. */
  public record Due(WebhookEvent event, Evictions.Reason reason, FinishedBudget.Scope scope) {}

  /** The key of an event's deliveries: namespace and the {@code herald.dev/event} label value. */
  public static String key(String namespace, String eventLabel) {
    return namespace + "/" + eventLabel;
  }

  /** The deliveries of each event by {@link #key}, from copies that carry the event label. */
  public static Map<String, List<WebhookDelivery>> byEvent(List<WebhookDelivery> deliveries) {
    return deliveries.stream()
        .filter(d -> d.getMetadata().getLabels() != null)
        .filter(d -> d.getMetadata().getLabels().containsKey(Herald.LABEL_EVENT))
        .collect(
            Collectors.groupingBy(
                d ->
                    key(
                        d.getMetadata().getNamespace(),
                        d.getMetadata().getLabels().get(Herald.LABEL_EVENT))));
  }

  /** The deliveries of {@code event} among {@code byEvent}. */
  public static List<WebhookDelivery> deliveriesOf(
      WebhookEvent event, Map<String, List<WebhookDelivery>> byEvent) {
    return byEvent.getOrDefault(
        key(event.getMetadata().getNamespace(), LabelValues.orHash(event.getMetadata().getName())),
        List.of());
  }

  /**
   * When {@code event} finished, or null while it has not: not fanned out, fanned out less than
   * {@link #MIN_AGE} ago, or with a delivery that is not finished.
   */
  public static Instant finishedAt(
      WebhookEvent event, List<WebhookDelivery> deliveries, Instant now) {
    Instant fannedOut =
        event.getStatus() == null ? null : Times.parse(event.getStatus().getFanOutTime());
    if (fannedOut == null
        || now.isBefore(fannedOut.plus(MIN_AGE))
        || event.getMetadata().getDeletionTimestamp() != null) {
      return null;
    }
    Instant last = fannedOut;
    for (WebhookDelivery d : deliveries) {
      if (!DeliveryStatuses.finished(d)) {
        return null;
      }
      Instant completed = Times.parse(d.getStatus().getCompletionTime());
      if (completed != null && completed.isAfter(last)) {
        last = completed;
      }
    }
    return last;
  }

  /**
   * Expired events first, then those beyond the budget (counted without the expired ones), at most
   * {@code max}. An event whose deliveries all succeeded (or were deleted already) goes before one
   * with an exhausted or cancelled delivery.
   */
  public static List<Due> due(
      List<WebhookEvent> events,
      Map<String, List<WebhookDelivery>> byEvent,
      Duration ttl,
      FinishedBudget budget,
      Instant now,
      int max) {
    Map<String, Due> due = new LinkedHashMap<>();
    List<FinishedBudget.Finished<WebhookEvent>> staying = new ArrayList<>();
    for (WebhookEvent event : events) {
      List<WebhookDelivery> deliveries = deliveriesOf(event, byEvent);
      Instant finished = finishedAt(event, deliveries, now);
      if (finished == null) {
        continue;
      }
      if (!now.isBefore(finished.plus(ttl))) {
        due.put(event.getMetadata().getUid(), new Due(event, Evictions.Reason.ttl, null));
      } else {
        boolean succeeded =
            deliveries.stream().allMatch(d -> d.getStatus().getPhase() == DeliveryPhase.Succeeded);
        staying.add(
            new FinishedBudget.Finished<>(
                event,
                event.getMetadata().getNamespace(),
                event.getMetadata().getName(),
                succeeded,
                finished));
      }
    }
    if (due.size() < max) {
      for (var e : budget.evictions(staying, max - due.size())) {
        WebhookEvent event = e.finished().object();
        due.putIfAbsent(
            event.getMetadata().getUid(), new Due(event, Evictions.Reason.budget, e.scope()));
      }
    }
    return due.values().stream().limit(max).toList();
  }
}
