package dev.herald.digest;

import dev.herald.api.v1alpha1.WebhookDigest;
import dev.herald.api.v1alpha1.WebhookDigestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Digest runs sent and not yet recorded in status, by digest uid.
 *
 * <p>A reconcile starts the sends and returns; the last channel's answer arrives on a Vert.x thread
 * and is parked here until a reconcile writes it to status. A failed write is retried from here
 * without sending again. Only a crash loses a parked result, and then the run, whose {@code
 * nextTime} was never advanced, is sent again: at least once, never skipped.
 */
final class DigestsInFlight {
  /**
   * One run as it was started.
   *
   * @param digest the digest the run was decided on (the API server's copy)
   * @param status the status computed for the run (generation, signing Secret), which the recorded
   *     result builds on
   * @param summary the report summed up, for the {@code Sent} message
   */
  record Run(
      WebhookDigest digest,
      WebhookDigestStatus status,
      String summary,
      Instant started,
      Duration interval,
      Duration retry) {}

  /**
   * A run and, once every channel answered, its failures (empty when the report went out on all).
   */
  record Parked(Run run, List<DigestException> failures, int recordFailures) {
    boolean open() {
      return failures == null;
    }
  }

  private final Map<String, Parked> byDigest = new ConcurrentHashMap<>();

  void started(String uid, Run run) {
    byDigest.put(uid, new Parked(run, null, 0));
  }

  void finished(String uid, List<DigestException> failures) {
    byDigest.computeIfPresent(uid, (k, p) -> new Parked(p.run(), List.copyOf(failures), 0));
  }

  Optional<Parked> get(String uid) {
    return Optional.ofNullable(byDigest.get(uid));
  }

  /** Counts a status write that failed; returns how many have failed in a row. */
  int recordFailed(String uid) {
    Parked p =
        byDigest.computeIfPresent(
            uid, (k, v) -> new Parked(v.run(), v.failures(), v.recordFailures() + 1));
    return p == null ? 0 : p.recordFailures();
  }

  void forget(String uid) {
    byDigest.remove(uid);
  }
}
