package dev.herald.delivery;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.kube.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Which finished deliveries go: each one {@code ttlAfterFinished} after it finished (like a Job's
 * TTL), and per endpoint all but the newest {@code keep} (like a CronJob's history limit). One CR
 * per delivery is only sound if history does not grow without bound in etcd.
 */
final class HistoryLimits {
  /**
   * Deletions per pass, so a lowered keep does not send a burst of deletes to the API server; with
   * {@code FinishedDeliveries.CATCH_UP} and the deletions' turn in the API budget's line, enough to
   * keep up with deliveries finishing at the operator's full rate.
   */
  static final int BATCH = 100;

  private HistoryLimits() {}

  /** When a finished delivery is due for deletion; null while it has not finished. */
  static Instant expiry(WebhookDeliveryStatus status, Duration ttl) {
    Instant completed = status == null ? null : Times.parse(status.getCompletionTime());
    return completed == null ? null : completed.plus(ttl);
  }

  /** Finished deliveries beyond the newest {@code keep}, oldest first, at most {@link #BATCH}. */
  static List<WebhookDelivery> beyondKeep(List<WebhookDelivery> deliveries, int keep) {
    List<WebhookDelivery> finished =
        deliveries.stream()
            .filter(DeliveryStatuses::finished)
            .filter(d -> d.getStatus().getCompletionTime() != null)
            .sorted(
                Comparator.comparing(
                        (WebhookDelivery d) -> Times.parse(d.getStatus().getCompletionTime()))
                    .thenComparing(d -> d.getMetadata().getName()))
            .toList();
    int excess = finished.size() - keep;
    return excess <= 0 ? List.of() : finished.subList(0, Math.min(excess, BATCH));
  }
}
