package dev.herald.delivery;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.ErrorInfo;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.endpoint.EndpointSettings;
import dev.herald.http.AttemptResult;
import dev.herald.kube.Annotations;
import dev.herald.kube.Times;
import dev.herald.retry.DeliveryProgress;
import dev.herald.retry.DeliveryStateMachine;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A delivery whose first attempt an event made: its status is composed here exactly as the delivery
 * reconciler would have recorded that attempt, so the state machine carries on from attempt 2.
 *
 * <p>The status subresource cannot be set on create, so the event creates the delivery with {@link
 * Herald#ANNOTATION_FIRST_ATTEMPT} and writes its status right after. Until that status shows (at
 * most {@link #STATUS_GRACE} after creation) the delivery reconciler does not send: it would repeat
 * the attempt just recorded. If the event's operator died in between, the delivery is sent as a new
 * one after the grace, with the same webhook-id: at least once.
 */
public final class FirstAttempts {
  /** How long a created delivery waits for the event's status write before it sends by itself. */
  public static final Duration STATUS_GRACE = Duration.ofSeconds(30);

  /** While waiting: how often the informer's copy is looked at for the status. */
  static final Duration STATUS_POLL = Duration.ofSeconds(1);

  private FirstAttempts() {}

  /**
   * The status of a delivery to {@code endpoint}, sent as {@code webhookId}, that recorded {@code
   * result} as its first attempt, started at {@code started} and ended at {@code finished}.
   */
  public static WebhookDeliveryStatus status(
      String webhookId,
      WebhookEndpoint endpoint,
      EndpointSettings settings,
      AttemptResult result,
      Instant started,
      Instant finished,
      Long generation) {
    WebhookDeliveryStatus sendStatus = DeliveryStatuses.copy(null);
    sendStatus.setEndpointUid(endpoint.getMetadata().getUid());
    sendStatus.setMaxAttempts(settings.retryPolicy().maxAttempts());
    sendStatus.setObservedGeneration(generation);
    DeliveryProgress after =
        DeliveryStateMachine.afterAttempt(
            webhookId,
            DeliveryProgress.initial(),
            DeliveryStatuses.outcomeOf(result),
            settings.retryPolicy(),
            started,
            finished);
    return DeliveryStatuses.afterAttempt(
        sendStatus, after, result, started, finished, generation, DeliveryStatuses.Size.FULL, null);
  }

  /** The error an endpoint's health takes into account for {@code result}; null: delivered. */
  public static ErrorInfo error(AttemptResult result) {
    return DeliveryStatuses.errorOf(result);
  }

  /** The labels Herald keeps on {@code delivery} once {@code status} is written. */
  public static Map<String, String> labels(WebhookDelivery delivery, WebhookDeliveryStatus status) {
    return DeliveryStatuses.labels(delivery, status);
  }

  /**
   * For a delivery an event created with its first attempt whose status is not written yet: when to
   * look again; null when it is to be decided as any other (status there, or the grace is over).
   */
  static Duration awaitingStatus(WebhookDelivery delivery, Instant now) {
    if (delivery.getStatus() != null
        || Annotations.get(delivery, Herald.ANNOTATION_FIRST_ATTEMPT) == null) {
      return null;
    }
    Instant created = Times.parse(delivery.getMetadata().getCreationTimestamp());
    if (created == null || !now.isBefore(created.plus(STATUS_GRACE))) {
      return null;
    }
    Duration left = Duration.between(now, created.plus(STATUS_GRACE));
    return left.compareTo(STATUS_POLL) < 0 ? left : STATUS_POLL;
  }
}
