package dev.herald.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most N attempts in flight per endpoint. An open request holds a connection and an overall slot
 * until its deadline; without a per-endpoint bound, one hanging endpoint with many due deliveries
 * would take every overall slot and starve deliveries to healthy endpoints.
 */
final class EndpointSlots {
  private final int perEndpoint;
  private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

  EndpointSlots(int perEndpoint) {
    if (perEndpoint < 1) {
      throw new IllegalArgumentException(
          "in-flight attempts per endpoint must be at least 1, got " + perEndpoint);
    }
    this.perEndpoint = perEndpoint;
  }

  /** A slot for the endpoint (by uid), or false when all are taken: the caller comes back later. */
  boolean tryAcquire(String endpointUid) {
    return slots.computeIfAbsent(endpointUid, k -> new Semaphore(perEndpoint)).tryAcquire();
  }

  void release(String endpointUid) {
    Semaphore s = slots.get(endpointUid);
    if (s != null) {
      s.release();
    }
  }
}
