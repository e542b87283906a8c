package dev.herald.retry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;

/**
 * The spread of a retry delay: a pure function of the delivery's webhook-id and the retry number,
 * never of a random generator. A reconcile repeated after a crash therefore schedules the same
 * instant, tests can pin it, and deliveries of one endpoint that failed together still spread out,
 * because their webhook-ids differ.
 */
public final class Jitter {
  private static final double TWO_TO_THE_MINUS_53 = 0x1.0p-53;

  private Jitter() {}

  /**
   * {@code delay} moved by up to plus or minus {@code percent} of itself, to whole milliseconds
   * (the precision of a status time), and never below {@link RetrySchedule#MIN_DELAY}: the floor
   * that keeps a schedule from hammering a receiver holds after the spread too.
   *
   * @param percent 0 (the delay unchanged) to 100
   */
  public static Duration spread(Duration delay, int percent, String webhookId, int retryNumber) {
    Objects.requireNonNull(delay, "delay");
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("jitter percent must be 0 to 100: " + percent);
    }
    if (percent == 0) {
      return delay;
    }
    long millis = delay.toMillis();
    long offset = Math.round(millis * (percent / 100.0) * unit(webhookId, retryNumber));
    Duration spread = Duration.ofMillis(millis + offset);
    return spread.compareTo(RetrySchedule.MIN_DELAY) < 0 ? RetrySchedule.MIN_DELAY : spread;
  }

  /**
   * A number in [-1, 1), evenly spread over webhook-ids and retry numbers: the first 53 bits of the
   * SHA-256 of both. A hash rather than {@code String.hashCode}, whose values for ids that differ
   * only in their last characters lie close together.
   */
  static double unit(String webhookId, int retryNumber) {
    Objects.requireNonNull(webhookId, "webhookId");
    byte[] hash = sha256((webhookId + "\n" + retryNumber).getBytes(StandardCharsets.UTF_8));
    long bits = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      bits = (bits << 8) | (hash[i] & 0xff);
    }
    return 2 * ((bits >>> 11) * TWO_TO_THE_MINUS_53) - 1;
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
