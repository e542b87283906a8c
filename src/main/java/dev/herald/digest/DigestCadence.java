package dev.herald.digest;

import dev.herald.api.v1alpha1.DigestReason;
import dev.herald.api.v1alpha1.WebhookDigestSpec;
import dev.herald.api.v1alpha1.WebhookDigestStatus;
import dev.herald.kube.Times;
import dev.herald.retry.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a digest runs: a pure function of its spec, its status, its generation and the time. The
 * next run time lives in {@code status.nextTime}, so a restarted operator keeps the cadence; a
 * failed run is tried again after {@link #RETRY}, or the interval if that is shorter.
 */
public final class DigestCadence {
  static final Duration RETRY = Duration.ofMinutes(5);
  private static final String DEFAULT_INTERVAL = "24h";

  private DigestCadence() {}

  /** What to do with a digest now. */
  public sealed interface Next permits Invalid, Wait, Due {}

  /** The spec cannot run: say so, and wait for the next spec change. */
  public record Invalid(DigestReason reason, String message) implements Next {}

  /**
   * Not due before {@code until}. With {@code recordGeneration}, the spec changed meanwhile: {@code
   * until} (shortened to one new interval from now if that is sooner) and the generation are to be
   * written, so the change counts as seen.
   */
  public record Wait(Instant until, boolean recordGeneration) implements Next {}

  /** Due now: a run, then the next one after {@code interval}, or {@code retry} if it fails. */
  public record Due(Duration interval, Duration retry) implements Next {}

  /**
   * @param floor the shortest interval the operator accepts (each run lists every endpoint and
   *     delivery of the namespace)
   */
  public static Next next(
      WebhookDigestSpec spec,
      WebhookDigestStatus status,
      Long generation,
      Instant now,
      Duration floor) {
    Duration interval;
    try {
      interval = interval(spec.getInterval(), floor);
    } catch (IllegalArgumentException e) {
      return new Invalid(DigestReason.InvalidInterval, "spec.interval: " + e.getMessage());
    }
    if (spec.getEmail() == null && spec.getWebhook() == null) {
      return new Invalid(DigestReason.NoChannel, "set spec.email, spec.webhook or both");
    }
    Instant next = status == null ? null : Times.parse(status.getNextTime());
    if (next == null || !next.isAfter(now)) {
      return new Due(interval, interval.compareTo(RETRY) < 0 ? interval : RETRY);
    }
    if (Objects.equals(status.getObservedGeneration(), generation)) {
      return new Wait(next, false);
    }
    Instant shortened = now.plus(interval); // a shortened interval applies at once
    return new Wait(next.isAfter(shortened) ? shortened : next, true);
  }

  /** The digest's interval (default 24h), refused when shorter than {@code floor}. */
  static Duration interval(String text, Duration floor) {
    Duration interval = Durations.parse(text == null ? DEFAULT_INTERVAL : text);
    if (interval.compareTo(floor) < 0) {
      throw new IllegalArgumentException(
          "must be at least " + Durations.format(floor) + ", got \"" + text + "\"");
    }
    return interval;
  }
}
