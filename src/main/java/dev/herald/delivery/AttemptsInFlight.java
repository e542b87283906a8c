package dev.herald.delivery;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.endpoint.RateLimit;
import dev.herald.http.AttemptResult;
import dev.herald.retry.DeliveryProgress;
import dev.herald.retry.RetryPolicy;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Attempts sent and not yet recorded in status, by delivery uid.
 *
 * <p>A reconcile starts an attempt and returns; the response arrives on a Vert.x thread and is
 * parked here until a reconcile writes it to status. Keeping the result until that write succeeds
 * lets a failed write (409, 429, 5xx, a dropped connection) be retried without sending the attempt
 * again. Only a crash loses a parked result, and then the attempt is sent again with the same
 * webhook-id: at least once.
 *
 * <p>It also bounds how many requests are open, overall and per endpoint, so one hanging endpoint
 * cannot take every connection from deliveries to healthy ones.
 */
final class AttemptsInFlight {
  /**
   * What was sent, fixed when the attempt starts.
   *
   * @param base the delivery the decision to send was taken on (at least as new as this process's
   *     last write); the result is recorded only if its status is still this one's
   * @param sendStatus the status computed for sending (endpoint bound, conditions), which the
   *     recorded attempt builds on
   */
  record Sent(
      WebhookEndpoint endpoint,
      WebhookDelivery base,
      WebhookDeliveryStatus sendStatus,
      DeliveryProgress before,
      RetryPolicy policy,
      String webhookId,
      Instant started) {
    String endpointUid() {
      return endpoint.getMetadata().getUid();
    }
  }

  /** What came back: the result (or failure) of the request, and when it finished. */
  record Returned(AttemptResult result, Instant finished) {}

  /**
   * One attempt and how its recording goes.
   *
   * @param returned null while the request is open
   * @param writeFailures status writes of the result that failed so far
   * @param healthReported whether the endpoint's health took this attempt into account
   */
  record Attempt(Sent sent, Returned returned, int writeFailures, boolean healthReported) {
    static Attempt open(Sent sent) {
      return new Attempt(sent, null, 0, false);
    }

    boolean open() {
      return returned == null;
    }
  }

  private final Map<String, Attempt> byDelivery = new ConcurrentHashMap<>();
  private final AttemptSlots slots;
  private volatile boolean draining;

  private volatile Consumer<ResourceID> wake = id -> {};

  /** One instance: equal waiters are one place in the slots' lines. */
  private final Consumer<ResourceID> relay = id -> wake.accept(id);

  AttemptsInFlight(int maxOverall, int maxPerEndpoint) {
    this(new AttemptSlots(maxOverall, maxPerEndpoint));
  }

  /** On slots shared with other senders (an event's first attempts): their releases wake too. */
  AttemptsInFlight(AttemptSlots slots) {
    this.slots = slots;
  }

  /** Called with a waiting delivery when a slot it waits for frees up. */
  void onSlotFree(Consumer<ResourceID> value) {
    this.wake = value;
  }

  /**
   * Takes a slot overall and for the endpoint. When none is free, {@code waiter} is queued and
   * woken when one frees; false then, and when the operator is stopping.
   */
  boolean tryAcquire(String endpointUid, ResourceID waiter) {
    if (draining) {
      return false;
    }
    return slots.tryAcquire(endpointUid, new AttemptSlots.Waiter(waiter, relay));
  }

  /**
   * As {@link #tryAcquire(String, ResourceID)}, within the endpoint's rate {@code limit} (null:
   * none), queued by {@code due} when over it.
   */
  AttemptSlots.Admission tryAcquire(
      String endpointUid, RateLimit limit, ResourceID waiter, Instant due) {
    if (draining) {
      return new AttemptSlots.NoSlot();
    }
    return slots.tryAcquire(endpointUid, limit, new AttemptSlots.Waiter(waiter, relay), due);
  }

  /**
   * Gives back a slot taken by {@link #tryAcquire} and wakes the delivery that waited longest for
   * it.
   */
  void release(String endpointUid) {
    slots.release(endpointUid); // wakes the next waiter, a delivery or an event
  }

  int waiting() {
    return slots.waiting();
  }

  void started(String deliveryUid, Sent sent) {
    byDelivery.put(deliveryUid, Attempt.open(sent));
  }

  /** The response (or failure) arrived: frees the slots and parks the result for recording. */
  void finished(String deliveryUid, AttemptResult result, Instant at) {
    Attempt attempt =
        byDelivery.computeIfPresent(
            deliveryUid, (k, a) -> new Attempt(a.sent(), new Returned(result, at), 0, false));
    if (attempt != null) {
      release(attempt.sent().endpointUid());
    }
  }

  /** A status write of the parked result failed; returns how many have failed so far. */
  int writeFailed(String deliveryUid) {
    Attempt attempt =
        byDelivery.computeIfPresent(
            deliveryUid,
            (k, a) ->
                new Attempt(a.sent(), a.returned(), a.writeFailures() + 1, a.healthReported()));
    return attempt == null ? 1 : attempt.writeFailures();
  }

  /** The endpoint's health has not taken this attempt into account yet (it must, exactly once). */
  boolean healthPending(String deliveryUid) {
    Attempt attempt = byDelivery.get(deliveryUid);
    return attempt != null && !attempt.open() && !attempt.healthReported();
  }

  void healthReported(String deliveryUid) {
    byDelivery.computeIfPresent(
        deliveryUid, (k, a) -> new Attempt(a.sent(), a.returned(), a.writeFailures(), true));
  }

  Optional<Attempt> get(String deliveryUid) {
    return Optional.ofNullable(byDelivery.get(deliveryUid));
  }

  /**
   * The result is in status, no longer wanted, or never came: drop it and free its slots if still
   * held.
   */
  void forget(String deliveryUid) {
    Attempt attempt = byDelivery.remove(deliveryUid);
    if (attempt != null && attempt.open()) {
      release(attempt.sent().endpointUid());
    }
  }

  /**
   * Starts no new attempt and waits until every started one is recorded, so a graceful stop does
   * not make the next leader send them again. False when {@code timeout} ran out first.
   */
  boolean drain(Duration timeout) throws InterruptedException {
    draining = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!byDelivery.isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    return true;
  }
}
