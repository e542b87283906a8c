package dev.herald.delivery;

import static dev.herald.delivery.DeliveryStatuses.applyProgress;
import static dev.herald.delivery.DeliveryStatuses.progressOf;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.DeliveryReason;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.endpoint.EndpointCredentials;
import dev.herald.endpoint.EndpointSettings;
import dev.herald.endpoint.EventTypes;
import dev.herald.endpoint.FailurePolicy;
import dev.herald.endpoint.InvalidEndpointException;
import dev.herald.http.WebhookRequest;
import dev.herald.kube.Annotations;
import dev.herald.retry.DeliveryProgress;
import dev.herald.retry.DeliveryStateMachine;
import dev.herald.signing.SigningKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What is to be done with a delivery now, and the status that says so: a pure function of the
 * delivery, the endpoint it names (null: none, or being deleted), the earlier unfinished delivery
 * of a fifo endpoint, and the time. It takes no slot, reads no Secret and writes nothing; the
 * reconciler carries the decision out.
 *
 * @param status the status to write: a new copy, with the endpoint bound, its Ready condition and
 *     observedGeneration
 */
record DeliveryDecision(WebhookDeliveryStatus status, Action action) {

  /** How often a delivery held by ordering: fifo looks whether its turn has come. */
  static final Duration FIFO_POLL = Duration.ofSeconds(1);

  /** The granularity of the clock JOSDK's reschedule timer counts on. */
  static final Duration TIMER_CLOCK = Duration.ofMillis(1);

  /** What the decision asks of the reconciler. */
  sealed interface Action {}

  /**
   * Not sent: {@code reason} and {@code message} are in the Ready condition; look again after
   * {@code recheckAfter} (null: when an event wakes the delivery).
   */
  record Hold(DeliveryReason reason, String message, Duration recheckAfter) implements Action {}

  /** The next attempt is scheduled at {@code at}; nothing else is to be done until then. */
  record WaitUntil(Instant at) implements Action {}

  /** retry.maxAge passed before the next attempt could start: the delivery ends Exhausted. */
  record Expire() implements Action {}

  /** Finished: nothing is sent again (retention is {@link HistorySweeper}'s). */
  record Rest() implements Action {}

  /** An attempt is due: send it to {@code settings}, from {@code before}. */
  record Send(DeliveryProgress before, EndpointSettings settings) implements Action {
    /** The request of this attempt, signed with {@code keys}, carrying {@code credentials}. */
    WebhookRequest request(
        WebhookDelivery delivery,
        List<SigningKey> keys,
        EndpointCredentials.Resolved credentials,
        Instant now) {
      String webhookId =
          delivery.getSpec().getDeliveryId() != null
              ? delivery.getSpec().getDeliveryId()
              : delivery.getMetadata().getUid();
      return AttemptRequests.of(
          settings,
          webhookId,
          delivery.getSpec().getEventType(),
          delivery.getSpec().getPayload(),
          keys,
          credentials,
          now);
    }
  }

  /** When to look at the delivery again once this is carried out; null: on events only. */
  Duration recheckAfter(Instant now) {
    if (action instanceof Hold hold) {
      return hold.recheckAfter();
    }
    if (action instanceof WaitUntil wait) {
      return wakeAfter(now, wait.at());
    }
    return null; // finished, expired just now, or sent (the response wakes it)
  }

  /**
   * How long from {@code now} a timer waits for {@code at}, so that it never wakes before it:
   * JOSDK's reschedule truncates to whole milliseconds and its {@link java.util.Timer} counts on
   * the millisecond clock (a task due at a millisecond runs once that millisecond has begun, up to
   * one millisecond before the instant meant), so the wait is rounded up to the whole millisecond
   * and one more is added. A wake-up a fraction of a millisecond early sends nothing (the delivery
   * is not due yet) but puts the delivery back in the reconcile line behind whatever else waits,
   * and the retry goes out a whole line's wait late.
   */
  static Duration wakeAfter(Instant now, Instant at) {
    Duration d = Duration.between(now, at);
    if (d.isNegative() || d.isZero()) {
      return Duration.ZERO;
    }
    long millis = d.toMillis();
    long whole = Duration.ofMillis(millis).equals(d) ? millis : millis + 1;
    return Duration.ofMillis(whole).plus(TIMER_CLOCK);
  }

  /**
   * @param earlierFifo for an endpoint with ordering: fifo, the oldest unfinished delivery of the
   *     endpoint created before this one
   */
  static DeliveryDecision decide(
      WebhookDelivery delivery,
      WebhookEndpoint endpoint,
      Optional<WebhookDelivery> earlierFifo,
      Instant now) {
    WebhookDeliveryStatus status = DeliveryStatuses.copy(delivery.getStatus());
    Long generation = delivery.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    Action action = decide(delivery, status, endpoint, earlierFifo, now);
    if (action instanceof Hold hold) {
      DeliveryStatuses.setReady(status, hold.reason(), hold.message(), generation, now);
    } else if (action instanceof Expire) {
      DeliveryStatuses.setReady(
          status,
          DeliveryReason.Exhausted,
          "retry.maxAge passed before the next attempt could start",
          generation,
          now);
    }
    return new DeliveryDecision(status, action);
  }

  /** Advances {@code status} (a copy) by what the delivery's state calls for. */
  private static Action decide(
      WebhookDelivery delivery,
      WebhookDeliveryStatus status,
      WebhookEndpoint endpoint,
      Optional<WebhookDelivery> earlierFifo,
      Instant now) {
    String endpointName = DeliveryIndex.endpointName(delivery);
    String replay = Annotations.get(delivery, Herald.ANNOTATION_REPLAY);
    boolean replayRequested = replay != null && !replay.equals(status.getObservedReplay());

    String boundUid = status.getEndpointUid();
    boolean endpointGone =
        boundUid != null && (endpoint == null || !boundUid.equals(endpoint.getMetadata().getUid()));
    if (endpointGone && (status.getPhase() != DeliveryPhase.Cancelled || replayRequested)) {
      // Deliveries stay bound to the endpoint incarnation they were created for: a re-created
      // endpoint of the same name is a different receiver with a different secret.
      if (!status.getPhase().isFinished()) {
        DeliveryProgress p = progressOf(status);
        applyProgress(
            status,
            new DeliveryProgress(
                DeliveryPhase.Cancelled, p.attempts(), p.firstAttemptTime(), null, now));
      }
      status.setObservedReplay(replay);
      return status.getPhase() == DeliveryPhase.Cancelled
          ? new Hold(
              DeliveryReason.Cancelled,
              "WebhookEndpoint "
                  + endpointName
                  + " was deleted; this delivery is kept for audit and will not be sent",
              null)
          : new Hold(
              DeliveryReason.ReplayIgnored,
              "replay ignored: WebhookEndpoint " + endpointName + " was deleted",
              null);
    }

    if (replayRequested) {
      status.setObservedReplay(replay);
      applyProgress(status, DeliveryStateMachine.replay());
      DeliveryStatuses.setReady(
          status,
          DeliveryReason.Replayed,
          "replay requested: the same payload and webhook-id are sent again",
          delivery.getMetadata().getGeneration(),
          now);
    }

    if (status.getPhase().isFinished()) {
      return new Rest();
    }
    var invalid = DeliverySpecs.problem(delivery.getSpec());
    if (invalid.isPresent()) {
      // held, never sent: a CR or LF in a header value would fail every attempt as a connection
      // error
      return new Hold(DeliveryReason.InvalidSpec, invalid.get(), null);
    }
    if (endpoint == null) {
      return new Hold(
          DeliveryReason.EndpointNotFound,
          "WebhookEndpoint " + endpointName + " does not exist (yet); the delivery waits for it",
          null);
    }
    status.setEndpointUid(endpoint.getMetadata().getUid());

    EndpointSettings settings;
    try {
      settings = EndpointSettings.of(endpoint.getSpec());
    } catch (InvalidEndpointException e) {
      return new Hold(
          DeliveryReason.InvalidEndpoint,
          "WebhookEndpoint " + endpointName + ": " + e.getMessage(),
          null);
    }
    status.setMaxAttempts(settings.retryPolicy().maxAttempts());

    if (FailurePolicy.isPaused(endpoint)) {
      // Held, not lost: a paused endpoint's deliveries read Pending until it resumes.
      status.setPhase(DeliveryPhase.Pending);
      var auto = endpoint.getStatus() == null ? null : endpoint.getStatus().getAutoPaused();
      return new Hold(
          DeliveryReason.EndpointPaused,
          auto == null || endpoint.getSpec().isPaused()
              ? "WebhookEndpoint " + endpointName + " is paused"
              : "WebhookEndpoint "
                  + endpointName
                  + " was paused by its failurePolicy: "
                  + auto.getMessage(),
          null);
    }

    if (!EventTypes.matches(
        endpoint.getSpec().getEventTypes(), delivery.getSpec().getEventType())) {
      // Held, not dropped: editing spec.eventTypes releases it.
      return new Hold(
          DeliveryReason.EventTypeNotSubscribed,
          "WebhookEndpoint "
              + endpointName
              + " does not subscribe to "
              + delivery.getSpec().getEventType()
              + " (spec.eventTypes)",
          null);
    }

    if (endpoint.getSpec().isFifo() && earlierFifo.isPresent()) {
      return new Hold(
          DeliveryReason.WaitingForEarlier,
          "ordering: fifo: waits for delivery "
              + earlierFifo.get().getMetadata().getName()
              + " to finish",
          FIFO_POLL);
    }

    DeliveryProgress progress = progressOf(status);
    if (!DeliveryStateMachine.isDue(progress, now)) {
      return new WaitUntil(progress.nextAttemptTime());
    }
    var expired = DeliveryStateMachine.expireIfTooOld(progress, settings.retryPolicy(), now);
    if (expired.isPresent()) {
      applyProgress(status, expired.get());
      return new Expire();
    }
    return new Send(progress, settings);
  }
}
