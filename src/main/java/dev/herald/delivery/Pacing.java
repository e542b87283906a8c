package dev.herald.delivery;

import dev.herald.endpoint.RateLimit;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether one more request to a paced endpoint may go now: the generic cell rate algorithm (a token
 * bucket kept as one instant). The state is the theoretical arrival time: when the allowance would
 * be back to empty if every request so far had come exactly at the rate. A request may go when that
 * time is at most {@code (burst - 1) * interval} ahead of now; it then moves the time one interval
 * on. So at most {@code burst} go at once, and {@code requests} per {@code per} on average. A pure
 * function of the state, the limit and the clock.
 */
final class Pacing {
  private Pacing() {}

  /** The outcome of one request's ask. */
  sealed interface Decision {}

  /** It may go; the endpoint's state becomes {@code next}. */
  record Allowed(Instant next) implements Decision {}

  /** Not before {@code at}; the state stays as it was. */
  record WaitUntil(Instant at) implements Decision {}

  /**
   * @param tat the endpoint's theoretical arrival time; null when nothing was sent yet
   */
  static Decision decide(Instant tat, RateLimit limit, Instant now) {
    Duration interval = limit.interval();
    Instant base = tat == null || tat.isBefore(now) ? now : tat;
    Instant allowedAt = base.minus(interval.multipliedBy(limit.burst() - 1L));
    if (now.isBefore(allowedAt)) {
      return new WaitUntil(allowedAt);
    }
    return new Allowed(base.plus(interval));
  }

  /**
   * When the {@code ahead + 1}-th request from now could go if nothing else asks: for telling a
   * waiter roughly how long it waits.
   */
  static Instant turnOf(Instant tat, RateLimit limit, Instant now, long ahead) {
    Duration interval = limit.interval();
    Instant base = tat == null || tat.isBefore(now) ? now : tat;
    Instant first = base.minus(interval.multipliedBy(limit.burst() - 1L));
    Instant turn = first.plus(interval.multipliedBy(ahead));
    return turn.isBefore(now) ? now : turn;
  }
}
