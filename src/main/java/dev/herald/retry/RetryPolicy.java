package dev.herald.retry;

import dev.herald.api.v1alpha1.RetrySpec;
import dev.herald.api.v1alpha1.Schemas;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How a delivery is retried: the schedule of delays, optionally a maximum age after which no
 * attempt starts (measured from the first attempt), and the manners that shape each delay.
 *
 * @param schedule the delays before each retry; never null
 * @param maxAge no attempt starts later than this after the first attempt; null means no limit
 * @param jitterPercent each scheduled delay is spread by up to plus or minus this percentage, 0 to
 *     {@link Schemas#MAX_JITTER_PERCENT}; 0 keeps the schedule exact
 * @param overloadMinDelay the least wait after an answer that says "slow down" ({@link
 *     AttemptOutcome#signalsOverload()}); null means no minimum
 * @param retryAfterMax the longest Retry-After honoured; null means the schedule's longest delay,
 *     zero means Retry-After is ignored
 */
public record RetryPolicy(
    RetrySchedule schedule,
    Duration maxAge,
    int jitterPercent,
    Duration overloadMinDelay,
    Duration retryAfterMax) {

  private static final Pattern JITTER = Pattern.compile(Schemas.JITTER_PERCENT);

  /** The policy of an endpoint that says nothing about retries. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(RetrySchedule.DEFAULT, null);

  public RetryPolicy {
    Objects.requireNonNull(schedule, "schedule");
    requireNotNegative("maxAge", maxAge);
    requireNotNegative("overloadMinDelay", overloadMinDelay);
    requireNotNegative("retryAfterMax", retryAfterMax);
    if (jitterPercent < 0 || jitterPercent > Schemas.MAX_JITTER_PERCENT) {
      throw new IllegalArgumentException(
          "jitter must be 0 to " + Schemas.MAX_JITTER_PERCENT + " percent: " + jitterPercent);
    }
  }

  /** A schedule and an age limit with today's manners: no jitter, no minimum, the default cap. */
  public RetryPolicy(RetrySchedule schedule, Duration maxAge) {
    this(schedule, maxAge, 0, null, null);
  }

  /**
   * The policy of an endpoint's {@code spec.retry}. Absent parts take their defaults (the default
   * schedule, no age limit, no jitter, no overload minimum, Retry-After capped by the schedule's
   * longest delay); an explicitly empty schedule means "never retry".
   *
   * @throws IllegalArgumentException naming the field and the bad value; the CRD schema should have
   *     stopped it, but a controller must not trust that (e.g. an older CRD)
   */
  public static RetryPolicy from(RetrySpec spec) {
    if (spec == null) {
      return DEFAULT;
    }
    RetrySchedule schedule =
        field("schedule", spec.getSchedule(), RetrySchedule::parse, RetrySchedule.DEFAULT);
    Duration maxAge = field("maxAge", spec.getMaxAge(), Durations::parse, null);
    int jitter = field("jitter", spec.getJitter(), RetryPolicy::parseJitter, 0);
    Duration overloadMinDelay =
        field("overloadMinDelay", spec.getOverloadMinDelay(), Durations::parse, null);
    Duration retryAfterMax =
        field("retryAfterMax", spec.getRetryAfterMax(), Durations::parse, null);
    return new RetryPolicy(schedule, maxAge, jitter, overloadMinDelay, retryAfterMax);
  }

  /** The first attempt plus every retry of the schedule; maxAge may end a delivery sooner. */
  public int maxAttempts() {
    return 1 + schedule.retries();
  }

  /** The longest Retry-After this policy honours. */
  public Duration retryAfterCap() {
    return retryAfterMax != null ? retryAfterMax : schedule.longestDelay();
  }

  /** "20%" to 20; the same language as the CRD's pattern. */
  static int parseJitter(String text) {
    if (!JITTER.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "invalid jitter \""
              + text
              + "\": expected a whole percentage from 0% to "
              + Schemas.MAX_JITTER_PERCENT
              + "%, e.g. \"20%\"");
    }
    return Integer.parseInt(text.substring(0, text.length() - 1));
  }

  private static <T, R> R field(String name, T value, Function<T, R> parse, R absent) {
    if (value == null) {
      return absent;
    }
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.retry." + name + ": " + e.getMessage(), e);
    }
  }

  private static void requireNotNegative(String name, Duration d) {
    if (d != null && d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }
}
