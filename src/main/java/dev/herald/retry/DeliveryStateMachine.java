package dev.herald.retry;

import dev.herald.api.v1alpha1.DeliveryPhase;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The phase transitions of a delivery. Every method is a pure function of its arguments; the caller
 * supplies "now" so that retries are reproducible and testable to the instant.
 *
 * <pre>
 *   Pending --attempt--&gt; Succeeded            (2xx)
 *                     \-&gt; Exhausted            (410 Gone, abort-message, no retry left, or past maxAge)
 *                     \-&gt; Failed --due--&gt; (attempt again, same arrows)
 *   any --replay--&gt; Pending
 * </pre>
 */
public final class DeliveryStateMachine {
  private DeliveryStateMachine() {}

  /**
   * Whether an attempt should start now: the delivery is waiting (Pending or Failed) and its next
   * attempt time, if any, is not in the future. Does not look at maxAge; call {@link
   * #expireIfTooOld} before starting the attempt.
   */
  public static boolean isDue(DeliveryProgress p, Instant now) {
    Objects.requireNonNull(p, "progress");
    Objects.requireNonNull(now, "now");
    if (!isWaiting(p.phase())) {
      return false;
    }
    return p.nextAttemptTime() == null || !p.nextAttemptTime().isAfter(now);
  }

  /**
   * The Exhausted progress if starting an attempt now would break the policy's maxAge, else empty.
   * {@link #afterAttempt} already refuses to schedule past maxAge, but a delivery can still be
   * late: the operator was down, or the endpoint was paused while retries were due. Exactly at
   * firstAttemptTime + maxAge an attempt may still start.
   */
  public static Optional<DeliveryProgress> expireIfTooOld(
      DeliveryProgress p, RetryPolicy policy, Instant now) {
    Objects.requireNonNull(p, "progress");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(now, "now");
    if (!isWaiting(p.phase()) || policy.maxAge() == null || p.firstAttemptTime() == null) {
      // Without a first attempt there is nothing to be old relative to: a delivery that was
      // queued (or replayed) long ago still gets its first attempt.
      return Optional.empty();
    }
    if (!now.isAfter(p.firstAttemptTime().plus(policy.maxAge()))) {
      return Optional.empty();
    }
    return Optional.of(exhausted(p.attempts(), p.firstAttemptTime(), now));
  }

  /**
   * The progress after one attempt of the delivery sent as {@code webhookId} that started at {@code
   * attemptStart} and ended at {@code now}.
   *
   * <ul>
   *   <li>2xx: Succeeded.
   *   <li>410 Gone, or a failing answer with {@code webhook-delivery: abort-message} (Aborted):
   *       Exhausted at once; the receiver asked us to stop, retries left or not.
   *   <li>Any other failure, including a 3xx (redirects are never followed) and Blocked (the egress
   *       policy may be relaxed later): retry number k = attempts so far waits the k-th delay of
   *       the schedule, counted from the end of the attempt, shaped by the policy's jitter, its
   *       overload minimum and Retry-After with its cap ({@link RetryDelays#nextAttempt}). No delay
   *       left, or a next attempt later than firstAttemptTime + maxAge: Exhausted.
   * </ul>
   *
   * @param webhookId the delivery's webhook-id: it fixes the jitter of its retries, so the same
   *     attempt decided again (after a crash) is due at the same instant
   * @throws IllegalArgumentException if the delivery is already finished (a late result must not
   *     resurrect a Succeeded, Exhausted or Cancelled delivery) or now is before attemptStart
   */
  public static DeliveryProgress afterAttempt(
      String webhookId,
      DeliveryProgress before,
      AttemptOutcome outcome,
      RetryPolicy policy,
      Instant attemptStart,
      Instant now) {
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(attemptStart, "attemptStart");
    Objects.requireNonNull(now, "now");
    if (!isWaiting(before.phase())) {
      throw new IllegalArgumentException(
          "cannot record an attempt for a delivery that is " + before.phase());
    }
    if (now.isBefore(attemptStart)) {
      throw new IllegalArgumentException(
          "attempt ended (" + now + ") before it started (" + attemptStart + ")");
    }
    int attempts = Math.addExact(before.attempts(), 1);
    Instant first = before.firstAttemptTime() != null ? before.firstAttemptTime() : attemptStart;

    if (outcome.succeeded()) {
      return new DeliveryProgress(DeliveryPhase.Succeeded, attempts, first, null, now);
    }
    if (outcome.errorClass().stopsRetries()) {
      return exhausted(attempts, first, now);
    }
    Optional<Instant> next =
        RetryDelays.nextAttempt(policy, outcome, webhookId, attempts, first, now);
    if (next.isEmpty()) {
      return exhausted(attempts, first, now);
    }
    return new DeliveryProgress(DeliveryPhase.Failed, attempts, first, next.get(), null);
  }

  /**
   * A delivery re-queued by the user (the {@code herald.dev/replay} annotation): attempts and the
   * maxAge window start again; the attempt log is kept by the caller.
   */
  public static DeliveryProgress replay() {
    return DeliveryProgress.initial();
  }

  private static boolean isWaiting(DeliveryPhase phase) {
    return phase == DeliveryPhase.Pending || phase == DeliveryPhase.Failed;
  }

  private static DeliveryProgress exhausted(int attempts, Instant first, Instant now) {
    return new DeliveryProgress(DeliveryPhase.Exhausted, attempts, first, null, now);
  }
}
