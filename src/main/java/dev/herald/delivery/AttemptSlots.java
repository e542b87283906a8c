package dev.herald.delivery;

import dev.herald.fairness.FairQueue;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * How many requests are open, overall and per endpoint, across every path that sends: a delivery's
 * attempts and an event's first attempts take slots from the same accounting, and wait for one in
 * the same lines, so a hanging endpoint cannot take more connections through events than through
 * deliveries, and a burst of events waits its turn beside the deliveries instead of overtaking
 * them.
 */
public final class AttemptSlots {
  /**
   * Whoever waits for a slot: the object and how to wake it (each reconciler wakes its own kind).
   * Equal waiters are one place in a line, so {@code wake} must be one instance per reconciler.
   */
  public record Waiter(ResourceID id, Consumer<ResourceID> wake) {}

  /** Which limit refused a slot. */
  enum Refused {
    OVERALL,
    ENDPOINT
  }

  private final Semaphore overall;
  private final EndpointSlots perEndpoint;

  /**
   * Waiters that found no free slot for their endpoint, oldest first, woken one by one as slots
   * free up. Polling instead would make thousands of due deliveries for a slow endpoint spin
   * through reconciles and push new ones back in the line.
   */
  private final Map<String, LinkedHashSet<Waiter>> waitingForEndpoint = new HashMap<>();

  /**
   * Round robin per namespace: a namespace with a thousand deliveries waiting for an overall slot
   * makes another namespace's delivery wait for one of them, not for all.
   */
  private final FairQueue<String, Waiter> waitingForAny = new FairQueue<>();

  private final Object lock = new Object();

  public AttemptSlots(int maxOverall, int maxPerEndpoint) {
    if (maxOverall < 1) {
      throw new IllegalArgumentException(
          "in-flight attempts overall must be at least 1, got " + maxOverall);
    }
    this.overall = new Semaphore(maxOverall);
    this.perEndpoint = new EndpointSlots(maxPerEndpoint);
  }

  /**
   * Takes a slot overall and for the endpoint (by uid). When none is free, {@code waiter} is queued
   * and woken when one frees; false then.
   */
  public boolean tryAcquire(String endpointUid, Waiter waiter) {
    // Under the lock that release() polls under: a slot freed between a failed try and queueing
    // would otherwise wake nobody.
    synchronized (lock) {
      Refused refused = take(endpointUid);
      if (refused == Refused.OVERALL) {
        waitingForAny.add(waiter.id().getNamespace().orElse(""), waiter);
        return false;
      }
      if (refused == Refused.ENDPOINT) {
        waitingForEndpoint.computeIfAbsent(endpointUid, k -> new LinkedHashSet<>()).add(waiter);
        return false;
      }
      waitingForAny.remove(waiter);
      var queue = waitingForEndpoint.get(endpointUid);
      if (queue != null) {
        queue.remove(waiter);
        if (queue.isEmpty()) {
          waitingForEndpoint.remove(endpointUid);
        }
      }
      return true;
    }
  }

  /** Null when both slots were taken; else the limit that refused (nothing is held then). */
  Refused take(String endpointUid) {
    if (!overall.tryAcquire()) {
      return Refused.OVERALL;
    }
    if (!perEndpoint.tryAcquire(endpointUid)) {
      overall.release();
      return Refused.ENDPOINT;
    }
    return null;
  }

  /** Gives back both slots and wakes whoever waited longest for one. */
  public void release(String endpointUid) {
    perEndpoint.release(endpointUid);
    overall.release();
    Waiter next;
    synchronized (lock) {
      next = pollFirst(waitingForEndpoint.get(endpointUid));
      if (next == null) {
        next = waitingForAny.poll();
      }
    }
    if (next != null) {
      next.wake().accept(next.id());
    }
  }

  /** {@code waiter} no longer waits (it went another way): it leaves every line. */
  public void forget(Waiter waiter) {
    synchronized (lock) {
      waitingForAny.remove(waiter);
      waitingForEndpoint.values().removeIf(queue -> queue.remove(waiter) && queue.isEmpty());
    }
  }

  int waiting() {
    synchronized (lock) {
      return waitingForAny.size()
          + waitingForEndpoint.values().stream().mapToInt(LinkedHashSet::size).sum();
    }
  }

  private static Waiter pollFirst(LinkedHashSet<Waiter> queue) {
    if (queue == null || queue.isEmpty()) {
      return null;
    }
    var it = queue.iterator();
    Waiter first = it.next();
    it.remove();
    return first;
  }
}
