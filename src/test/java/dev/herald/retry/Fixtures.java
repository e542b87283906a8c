package dev.herald.retry;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import java.time.Instant;
import java.util.List;

/** Shared values for the state machine tests: a fixed clock, never the real one. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2025-01-27T14:00:00Z");
  static final RetryPolicy DEFAULT = RetryPolicy.from(null);
  static final AttemptOutcome HTTP_500 = AttemptOutcome.failure(ErrorClass.Http5xx, 500, null);

  private Fixtures() {}

  static RetryPolicy policy(List<String> schedule, String maxAge) {
    return new RetryPolicy(
        RetrySchedule.parse(schedule), maxAge == null ? null : Durations.parse(maxAge));
  }

  static DeliveryProgress failed(int attempts, Instant first, Instant next) {
    return new DeliveryProgress(DeliveryPhase.Failed, attempts, first, next, null);
  }
}
