package dev.herald.retry;

import dev.herald.api.v1alpha1.RetrySpec;
import java.time.Duration;
import java.util.Objects;

/**
 * How a delivery is retried: the schedule of delays, and optionally a maximum age after which no
 * attempt starts (measured from the first attempt).
 *
 * @param schedule the delays before each retry; never null
 * @param maxAge no attempt starts later than this after the first attempt; null means no limit
 */
public record RetryPolicy(RetrySchedule schedule, Duration maxAge) {

  /** The policy of an endpoint that says nothing about retries. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(RetrySchedule.DEFAULT, null);

  public RetryPolicy {
    Objects.requireNonNull(schedule, "schedule");
    if (maxAge != null && maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must not be negative: " + maxAge);
    }
  }

  /**
   * The policy of an endpoint's {@code spec.retry}. Absent parts take their defaults (the default
   * schedule, no age limit); an explicitly empty schedule means "never retry".
   *
   * @throws IllegalArgumentException naming the field and the bad value; the CRD schema should have
   *     stopped it, but a controller must not trust that (e.g. an older CRD)
   */
  public static RetryPolicy from(RetrySpec spec) {
    if (spec == null) {
      return DEFAULT;
    }
    RetrySchedule schedule;
    try {
      schedule =
          spec.getSchedule() == null
              ? RetrySchedule.DEFAULT
              : RetrySchedule.parse(spec.getSchedule());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.retry.schedule: " + e.getMessage(), e);
    }
    Duration maxAge;
    try {
      maxAge = spec.getMaxAge() == null ? null : Durations.parse(spec.getMaxAge());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.retry.maxAge: " + e.getMessage(), e);
    }
    return new RetryPolicy(schedule, maxAge);
  }

  /** The first attempt plus every retry of the schedule; maxAge may end a delivery sooner. */
  public int maxAttempts() {
    return 1 + schedule.retries();
  }
}
