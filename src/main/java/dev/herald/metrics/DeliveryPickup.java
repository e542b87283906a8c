package dev.herald.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Where a new delivery's time goes between the operator hearing of it and its first attempt being
 * handed to the sender: {@code herald_delivery_pickup_seconds{namespace, stage}}.
 *
 * <ul>
 *   <li>{@code dispatch}: the informer hands the new object to JOSDK -> JOSDK hands its reconcile
 *       to the reconcile pool (JOSDK's event processing);
 *   <li>{@code queue}: in the pool's line until a reconcile thread starts it;
 *   <li>{@code reconcile}: that thread starts it -> the attempt is handed to the sender (slot waits
 *       included, if any);
 *   <li>{@code total}: the sum, the informer's hand-over -> sent.
 * </ul>
 *
 * What lies before the informer's hand-over (the API server's answer to the create, its watch, the
 * operator's watch connection and deserialization) is not in these: a client that creates
 * deliveries and measures create -> POST gets it by subtraction (bench/). Deliveries are keyed by
 * namespace and name; only the first pickup of an object never reconciled is timed, so a delivery
 * that is never sent leaves an entry behind, bounded by {@link #MAX_TRACKED}.
 */
public final class DeliveryPickup {
  static final int MAX_TRACKED = 10_000;

  private final HeraldMetrics metrics;
  private final LongSupplier nanoTime;

  /** namespace/name -> {received, submitted, started} in nanos; 0: not yet. */
  private final Map<String, long[]> tracked = new ConcurrentHashMap<>();

  DeliveryPickup(HeraldMetrics metrics, LongSupplier nanoTime) {
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  /** The informer handed JOSDK a delivery never reconciled (no status yet). */
  public void received(String namespace, String name) {
    if (tracked.size() >= MAX_TRACKED) {
      tracked.clear(); // deliveries never sent (deleted, unreadable): forget, never grow
    }
    tracked.putIfAbsent(key(namespace, name), new long[] {nanoTime.getAsLong(), 0, 0});
  }

  /** JOSDK handed the pool a reconcile of this resource. */
  public void submitted(String namespace, String name) {
    mark(namespace, name, 1);
  }

  /** A reconcile thread started a reconcile of this resource. */
  public void started(String namespace, String name) {
    mark(namespace, name, 2);
  }

  private void mark(String namespace, String name, int index) {
    long[] marks = tracked.get(key(namespace, name));
    if (marks != null) {
      synchronized (marks) {
        if (marks[index] == 0 && marks[index - 1] != 0) {
          marks[index] = nanoTime.getAsLong();
        }
      }
    }
  }

  /**
   * The delivery's first attempt was handed to the sender: its pickup is recorded and forgotten.
   */
  public void sent(String namespace, String name) {
    long[] marks = tracked.remove(key(namespace, name));
    if (marks == null) {
      return;
    }
    long now = nanoTime.getAsLong();
    synchronized (marks) {
      if (marks[1] == 0 || marks[2] == 0) {
        return; // reconciled by a path that is not the pool's (a test's direct call)
      }
      metrics.pickupStage(namespace, "dispatch", Duration.ofNanos(marks[1] - marks[0]));
      metrics.pickupStage(namespace, "queue", Duration.ofNanos(marks[2] - marks[1]));
      metrics.pickupStage(namespace, "reconcile", Duration.ofNanos(now - marks[2]));
      metrics.pickupStage(namespace, "total", Duration.ofNanos(now - marks[0]));
    }
  }

  int tracked() {
    return tracked.size();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
