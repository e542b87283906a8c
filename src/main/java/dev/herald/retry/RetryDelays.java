package dev.herald.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the next retry of a failed attempt is due: the one home of the rules that shape a retry
 * delay (the schedule, jitter, the overload minimum, Retry-After and its cap, maxAge), for the
 * delivery reconciler and an event's first attempts alike.
 */
final class RetryDelays {
  private static final int TOO_MANY_REQUESTS = 429;
  private static final int SERVICE_UNAVAILABLE = 503;

  private RetryDelays() {}

  /**
   * The start of retry {@code retryNumber} after an attempt that failed with {@code outcome} and
   * ended at {@code now}, or empty when the policy allows no such retry.
   *
   * <ol>
   *   <li>The schedule's delay for that retry; none left: empty.
   *   <li>Lower bounds the receiver asked for: a Retry-After on a 429 or 503, capped by {@link
   *       RetryPolicy#retryAfterCap()}, and {@link RetryPolicy#overloadMinDelay()} after an answer
   *       that {@link AttemptOutcome#signalsOverload() signals overload}. If the schedule's delay
   *       or a bound would start the retry after firstAttemptTime + maxAge: empty, as without
   *       jitter.
   *   <li>Jitter spreads the schedule's delay (never a bound: a receiver that asked for 60 s gets
   *       at least 60 s); a spread that lands after firstAttemptTime + maxAge is moved back to it,
   *       so jitter never costs a retry the schedule would have made.
   * </ol>
   */
  static Optional<Instant> nextAttempt(
      RetryPolicy policy,
      AttemptOutcome outcome,
      String webhookId,
      int retryNumber,
      Instant first,
      Instant now) {
    Optional<Duration> scheduled = policy.schedule().delayBeforeRetry(retryNumber);
    if (scheduled.isEmpty()) {
      return Optional.empty();
    }
    Duration floor = floor(outcome, policy);
    Instant planned = now.plus(max(scheduled.get(), floor));
    Instant deadline = policy.maxAge() == null ? null : first.plus(policy.maxAge());
    if (deadline != null && planned.isAfter(deadline)) {
      // Waiting for an attempt that expireIfTooOld would refuse anyway would only leave the
      // delivery looking alive (Failed, with a next attempt time) when it is not.
      return Optional.empty();
    }
    Duration spread =
        Jitter.spread(scheduled.get(), policy.jitterPercent(), webhookId, retryNumber);
    Instant next = now.plus(max(spread, floor));
    return Optional.of(deadline != null && next.isAfter(deadline) ? deadline : next);
  }

  /** The least wait the receiver's answer asks for; zero when it asks for none. */
  static Duration floor(AttemptOutcome outcome, RetryPolicy policy) {
    Duration floor = Duration.ZERO;
    if (outcome.signalsOverload() && policy.overloadMinDelay() != null) {
      floor = policy.overloadMinDelay();
    }
    Integer code = outcome.statusCode();
    if (outcome.retryAfter() != null
        && code != null
        && (code == TOO_MANY_REQUESTS || code == SERVICE_UNAVAILABLE)) {
      // A receiver cannot park a delivery for a year: the cap bounds what it may ask. A date in
      // the past (zero or negative) asks for nothing.
      floor = max(floor, min(outcome.retryAfter(), policy.retryAfterCap()));
    }
    return floor;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
