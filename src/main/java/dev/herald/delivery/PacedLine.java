package dev.herald.delivery;

import dev.herald.delivery.AttemptSlots.Waiter;
import dev.herald.endpoint.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The line of one rate-limited endpoint: its pacing state and whoever waits for the rate, oldest
 * due first. Nothing here sleeps or polls: {@link AttemptSlots} calls {@link #call} when the next
 * turn is due ({@link #nextCall}) and wakes those it returns; a woken waiter comes back and asks
 * again ({@link #mayGo}). Not thread-safe: {@link AttemptSlots} holds its lock around every use.
 *
 * <p>A waiter called for its turn keeps it for {@link #CALL_GRACE}: nobody else takes the allowance
 * meanwhile. One that does not come back (the delivery was deleted, paused, or went another way)
 * costs that grace once, never the line's progress.
 */
final class PacedLine {
  /** How long a called waiter has to come back before the next one is called in its place. */
  static final Duration CALL_GRACE = Duration.ofSeconds(1);

  /** A called waiter that never came back is forgotten after this. */
  static final Duration CALL_TTL = Duration.ofSeconds(60);

  /** A place in the line: by when the waiter was due, then by arrival. */
  record Place(Instant due, long seq, Instant since) implements Comparable<Place> {
    @Override
    public int compareTo(Place o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** A waiter's answer when it may not go yet. */
  record Wait(Duration turnIn, int ahead, boolean started) {}

  private RateLimit limit;
  private Instant tat;
  private long seq;
  private final TreeMap<Place, Waiter> line = new TreeMap<>();
  private final Map<Waiter, Place> places = new HashMap<>();

  /** Called for their turn and not back yet, with their place and when they were called. */
  private final Map<Waiter, Place> called = new HashMap<>();

  private final Map<Waiter, Instant> calledAt = new HashMap<>();

  /** When a pump is scheduled for this line; null: none. */
  Instant armedAt;

  PacedLine(RateLimit limit) {
    this.limit = limit;
  }

  RateLimit limit() {
    return limit;
  }

  /** A changed spec.rateLimit applies from the next request; what was sent still counts. */
  void limit(RateLimit value) {
    this.limit = value;
  }

  /** Whether {@code w} may send now: its turn has come and the rate allows it. */
  boolean mayGo(Waiter w, Instant now) {
    prune(now);
    if (called.containsKey(w)) {
      return available(now) >= 1;
    }
    boolean first = line.isEmpty() || line.firstEntry().getValue().equals(w);
    return first && available(now) > outstanding(now);
  }

  /**
   * {@code w} sent (after {@link #mayGo} said so): the allowance is taken and it leaves the line.
   *
   * @return since when it waited for the rate; null when it did not
   */
  Instant sent(Waiter w, Instant now) {
    if (Pacing.decide(tat, limit, now) instanceof Pacing.Allowed allowed) {
      tat = allowed.next();
    } else {
      // mayGo said yes under the same lock: this cannot be; count it anyway, never under-count
      tat = (tat == null ? now : tat).plus(limit.interval());
    }
    Place place = leave(w);
    return place == null ? null : place.since();
  }

  /** {@code w} may not go yet: it takes (or keeps) its place in the line. */
  Wait enqueue(Waiter w, Instant due, Instant now) {
    Place back = called.remove(w);
    calledAt.remove(w);
    Place place = places.get(w);
    boolean started = false;
    if (place == null) {
      place = back != null ? back : new Place(due == null ? now : due, seq++, now);
      started = back == null;
      line.put(place, w);
      places.put(w, place);
    }
    int ahead = line.headMap(place).size() + outstanding(now);
    Instant turn = Pacing.turnOf(tat, limit, now, ahead);
    return new Wait(Duration.between(now, turn), ahead, started);
  }

  /** Whom to wake now for their turn: as many as the rate allows beyond those already called. */
  List<Waiter> call(Instant now) {
    prune(now);
    List<Waiter> calling = new ArrayList<>();
    long free = available(now) - outstanding(now);
    while (free-- > 0 && !line.isEmpty()) {
      var first = line.pollFirstEntry();
      places.remove(first.getValue());
      called.put(first.getValue(), first.getKey());
      calledAt.put(first.getValue(), now);
      calling.add(first.getValue());
    }
    return calling;
  }

  /** When {@link #call} may have someone to wake; null while nobody waits. */
  Instant nextCall(Instant now) {
    if (line.isEmpty()) {
      return null;
    }
    int held = outstanding(now);
    // the rate frees a turn beyond those held only while they are fewer than the burst; else only
    // a held turn whose grace ends (its waiter did not come back) lets the next one go
    Instant turn = held < limit.burst() ? Pacing.turnOf(tat, limit, now, held) : null;
    Instant graceOver = null;
    for (Instant at : calledAt.values()) {
      Instant over = at.plus(CALL_GRACE);
      if (over.isAfter(now) && (graceOver == null || over.isBefore(graceOver))) {
        graceOver = over;
      }
    }
    // while turns are held by called waiters, the next call is when a grace ends (or the rate
    // frees a turn beyond theirs, whichever is first)
    if (turn == null) {
      return graceOver;
    }
    return graceOver != null && graceOver.isBefore(turn) ? graceOver : turn;
  }

  /**
   * When the line holds nothing a fresh one would not (nobody waits, the allowance is full again,
   * no called waiter is still to come back): then it can go; null while someone waits. A called
   * waiter keeps the line until it sends or is forgotten, or it would come back to a fresh line
   * that does not know since when it waited.
   */
  Instant idleFrom() {
    if (!line.isEmpty()) {
      return null;
    }
    Instant idle = tat == null ? Instant.MIN : tat;
    for (Instant at : calledAt.values()) {
      Instant forgotten = at.plus(CALL_TTL);
      if (forgotten.isAfter(idle)) {
        idle = forgotten;
      }
    }
    return idle;
  }

  /** {@code w} no longer waits. */
  void forget(Waiter w) {
    leave(w);
  }

  /** Everyone waiting or called: when the limit is removed, they all go back to plain slots. */
  List<Waiter> everyone() {
    List<Waiter> all = new ArrayList<>(called.keySet());
    all.addAll(line.values());
    return all;
  }

  int waiting() {
    return line.size();
  }

  private Place leave(Waiter w) {
    calledAt.remove(w);
    Place fromCall = called.remove(w);
    Place place = places.remove(w);
    if (place != null) {
      line.remove(place);
      return place;
    }
    return fromCall;
  }

  /** How many requests the rate allows now, at once. */
  private long available(Instant now) {
    Duration interval = limit.interval();
    Instant base = tat == null || tat.isBefore(now) ? now : tat;
    Duration room = Duration.between(base, now).plus(interval.multipliedBy(limit.burst() - 1L));
    if (room.isNegative()) {
      return 0;
    }
    return Math.min(limit.burst(), room.toNanos() / Math.max(1, interval.toNanos()) + 1);
  }

  /** Called waiters still within their grace: their turns are held for them. */
  private int outstanding(Instant now) {
    Instant since = now.minus(CALL_GRACE);
    return (int) calledAt.values().stream().filter(at -> at.isAfter(since)).count();
  }

  private void prune(Instant now) {
    Instant expired = now.minus(CALL_TTL);
    for (Iterator<Map.Entry<Waiter, Instant>> it = calledAt.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().isAfter(expired)) {
        called.remove(e.getKey());
        it.remove();
      }
    }
  }
}
