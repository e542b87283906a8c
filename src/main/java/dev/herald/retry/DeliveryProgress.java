package dev.herald.retry;

import dev.herald.api.v1alpha1.DeliveryPhase;
import java.time.Instant;
import java.util.Objects;

/**
 * The part of a delivery's status that the retry state machine owns.
 *
 * @param phase never null
 * @param attempts attempts made since creation or the last replay
 * @param firstAttemptTime when the first of those attempts started; maxAge counts from here
 * @param nextAttemptTime when the next attempt is due; null = as soon as possible while
 *     Pending/Failed, and always null once finished
 * @param completionTime when the delivery reached a finished phase, else null
 */
public record DeliveryProgress(
    DeliveryPhase phase,
    int attempts,
    Instant firstAttemptTime,
    Instant nextAttemptTime,
    Instant completionTime) {

  public DeliveryProgress {
    Objects.requireNonNull(phase, "phase");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative: " + attempts);
    }
  }

  /** A new (or replayed) delivery: nothing tried yet, due at once. */
  public static DeliveryProgress initial() {
    return new DeliveryProgress(DeliveryPhase.Pending, 0, null, null, null);
  }
}
