package dev.herald.delivery;

import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * How many requests are open, overall and per endpoint, across every path that sends: a delivery's
 * attempts and an event's first attempts take slots from the same accounting, so a hanging endpoint
 * cannot take more connections through events than through deliveries.
 */
public final class AttemptSlots {
  /** Which limit refused a slot. */
  enum Refused {
    OVERALL,
    ENDPOINT
  }

  private final Semaphore overall;
  private final EndpointSlots perEndpoint;
  private volatile Consumer<String> onRelease = uid -> {};

  public AttemptSlots(int maxOverall, int maxPerEndpoint) {
    if (maxOverall < 1) {
      throw new IllegalArgumentException(
          "in-flight attempts overall must be at least 1, got " + maxOverall);
    }
    this.overall = new Semaphore(maxOverall);
    this.perEndpoint = new EndpointSlots(maxPerEndpoint);
  }

  /** A slot overall and for the endpoint (by uid); false when either limit is reached. */
  public boolean tryAcquire(String endpointUid) {
    return take(endpointUid) == null;
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

  /** Gives back both slots; whoever waits for one (a delivery) is told. */
  public void release(String endpointUid) {
    perEndpoint.release(endpointUid);
    overall.release();
    onRelease.accept(endpointUid);
  }

  /** Called with the endpoint's uid after each release (at most one listener: the deliveries'). */
  void onRelease(Consumer<String> listener) {
    this.onRelease = listener;
  }
}
