package dev.herald.kube.client;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * client-go's token bucket (qps tokens a second, at most burst saved), except that taking a token
 * never blocks: {@link #reserve()} says how long the caller must wait before it sends, and callers
 * that find the bucket empty queue behind one another (the nth waits n/qps), as with Go's {@code
 * rate.Limiter.Reserve}. Waiting is then the caller's business, done without a thread.
 */
public final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double qps;
  private final int burst;
  private final LongSupplier nanoTime;

  /** Below zero: tokens already promised to callers still waiting. */
  private double tokens;

  private long last;

  public TokenBucket(double qps, int burst, LongSupplier nanoTime) {
    if (!(qps > 0) || Double.isInfinite(qps)) {
      throw new IllegalArgumentException("qps must be a positive number, got " + qps);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    this.qps = qps;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  public static TokenBucket systemTime(double qps, int burst) {
    return new TokenBucket(qps, burst, System::nanoTime);
  }

  /** Takes one token; the time to wait before using it, zero when one was available. */
  public synchronized Duration reserve() {
    refill();
    tokens -= 1;
    return tokens >= 0
        ? Duration.ZERO
        : Duration.ofNanos((long) Math.ceil(-tokens * NANOS_PER_SECOND / qps));
  }

  /**
   * Takes one token if one is saved, never promising one ahead: for what is dropped rather than
   * delayed when over its rate. False when the bucket is empty.
   */
  public synchronized boolean tryTake() {
    refill();
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) * qps / NANOS_PER_SECOND);
    last = now;
  }

  public double qps() {
    return qps;
  }

  public int burst() {
    return burst;
  }
}
