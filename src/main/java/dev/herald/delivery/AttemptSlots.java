package dev.herald.delivery;

import dev.herald.endpoint.RateLimit;
import dev.herald.fairness.FairQueue;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How many requests are open, overall and per endpoint, across every path that sends: a delivery's
 * attempts and an event's first attempts take slots from the same accounting, and wait for one in
 * the same lines, so a hanging endpoint cannot take more connections through events than through
 * deliveries, and a burst of events waits its turn beside the deliveries instead of overtaking
 * them.
 *
 * <p>It is also the one place an endpoint's spec.rateLimit is applied ({@link PacedLine}): every
 * request to the endpoint takes a slot here, so every request counts. A waiter over the rate is
 * woken when its turn is due (a timer per line, not a poll), oldest due first.
 */
public final class AttemptSlots {
  /**
   * Whoever waits for a slot: the object and how to wake it (each reconciler wakes its own kind).
   * Equal waiters are one place in a line, so {@code wake} must be one instance per reconciler.
   */
  public record Waiter(ResourceID id, Consumer<ResourceID> wake) {}

  /** The answer to a request for a slot. */
  public sealed interface Admission {}

  /**
   * Both slots are taken and, for a paced endpoint, the rate's allowance.
   *
   * @param waitedSince since when it waited for the endpoint's rate; null when it did not
   */
  public record Granted(Instant waitedSince) implements Admission {}

  /** No free slot: queued, woken when one frees. */
  public record NoSlot() implements Admission {}

  /**
   * Over the endpoint's rate: queued, woken when its turn is due.
   *
   * @param turnIn about how long until its turn, if nothing overtakes it
   * @param ahead how many wait before it
   * @param started this ask began its wait (it was not in the line before)
   */
  public record Paced(RateLimit limit, Duration turnIn, int ahead, boolean started)
      implements Admission {}

  /** Runs a task after a delay: the timer of the paced lines (a fake one in tests). */
  public interface Timer {
    void schedule(Duration delay, Runnable task);
  }

  /** Which limit refused a slot. */
  enum Refused {
    OVERALL,
    ENDPOINT
  }

  private final Semaphore overall;
  private final EndpointSlots perEndpoint;

  /**
   * Waiters that found no free slot for their endpoint, oldest first, woken one by one as slots
   * free up. Polling instead would make thousands of due deliveries for a slow endpoint spin
   * through reconciles and push new ones back in the line.
   */
  private final Map<String, LinkedHashSet<Waiter>> waitingForEndpoint = new HashMap<>();

  /**
   * Round robin per namespace: a namespace with a thousand deliveries waiting for an overall slot
   * makes another namespace's delivery wait for one of them, not for all.
   */
  private final FairQueue<String, Waiter> waitingForAny = new FairQueue<>();

  /** The lines of rate-limited endpoints, by uid. */
  private final Map<String, PacedLine> paced = new HashMap<>();

  private final Clock clock;
  private final Timer timer;

  private final Object lock = new Object();

  public AttemptSlots(int maxOverall, int maxPerEndpoint) {
    this(maxOverall, maxPerEndpoint, Clock.systemUTC(), daemonTimer());
  }

  public AttemptSlots(int maxOverall, int maxPerEndpoint, Clock clock, Timer timer) {
    this.clock = clock;
    this.timer = timer;
    if (maxOverall < 1) {
      throw new IllegalArgumentException(
          "in-flight attempts overall must be at least 1, got " + maxOverall);
    }
    this.overall = new Semaphore(maxOverall);
    this.perEndpoint = new EndpointSlots(maxPerEndpoint);
  }

  /**
   * A single daemon thread that wakes paced waiters when their turn is due, started by the first
   * wait (an operator without rate-limited endpoints has none).
   */
  public static Timer daemonTimer() {
    return new Timer() {
      private ScheduledExecutorService executor;

      @Override
      public synchronized void schedule(Duration delay, Runnable task) {
        if (executor == null) {
          executor =
              Executors.newSingleThreadScheduledExecutor(
                  r -> {
                    Thread t = new Thread(r, "herald-rate-limit");
                    t.setDaemon(true);
                    return t;
                  });
        }
        executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      }
    };
  }

  /**
   * Takes a slot overall and for the endpoint (by uid), within the rate limit the endpoint was last
   * seen with. When none is free, {@code waiter} is queued and woken when one frees; false then.
   */
  public boolean tryAcquire(String endpointUid, Waiter waiter) {
    return acquire(endpointUid, false, null, waiter, null) instanceof Granted;
  }

  /**
   * Takes a slot overall and for the endpoint (by uid), within {@code limit} (null: none, and any
   * earlier limit is lifted). When none is free or the rate allows none now, {@code waiter} is
   * queued, by {@code due} (when it became due; null: now) for the rate, and woken when its turn
   * comes.
   */
  public Admission tryAcquire(String endpointUid, RateLimit limit, Waiter waiter, Instant due) {
    return acquire(endpointUid, true, limit, waiter, due);
  }

  private Admission acquire(
      String endpointUid, boolean setLimit, RateLimit limit, Waiter waiter, Instant due) {
    List<Waiter> released = List.of();
    Admission admission;
    // Under the lock that release() polls under: a slot freed between a failed try and queueing
    // would otherwise wake nobody.
    synchronized (lock) {
      Instant now = clock.instant();
      PacedLine line = paced.get(endpointUid);
      if (setLimit && limit == null && line != null) {
        paced.remove(endpointUid); // the limit was lifted: its waiters go back to plain slots
        released = line.everyone();
        line = null;
      } else if (setLimit && limit != null) {
        if (line == null) {
          line = new PacedLine(limit);
          paced.put(endpointUid, line);
        } else if (!limit.equals(line.limit())) {
          line.limit(limit);
        }
      }
      admission = admit(endpointUid, line, waiter, due, now);
    }
    wake(released);
    return admission;
  }

  private Admission admit(
      String endpointUid, PacedLine line, Waiter waiter, Instant due, Instant now) {
    if (line != null && !line.mayGo(waiter, now)) {
      PacedLine.Wait wait = line.enqueue(waiter, due, now);
      arm(endpointUid, line, now);
      return new Paced(line.limit(), wait.turnIn(), wait.ahead(), wait.started());
    }
    Refused refused = take(endpointUid);
    if (refused == Refused.OVERALL) {
      waitingForAny.add(waiter.id().getNamespace().orElse(""), waiter);
      return new NoSlot();
    }
    if (refused == Refused.ENDPOINT) {
      waitingForEndpoint.computeIfAbsent(endpointUid, k -> new LinkedHashSet<>()).add(waiter);
      return new NoSlot();
    }
    Instant waitedSince = null;
    if (line != null) {
      waitedSince = line.sent(waiter, now);
      arm(endpointUid, line, now);
    }
    waitingForAny.remove(waiter);
    var queue = waitingForEndpoint.get(endpointUid);
    if (queue != null) {
      queue.remove(waiter);
      if (queue.isEmpty()) {
        waitingForEndpoint.remove(endpointUid);
      }
    }
    return new Granted(waitedSince);
  }

  /**
   * Schedules the line's next call, unless one is due as early already. A line nobody waits in is
   * called once more when its allowance is full again, and then dropped: lines of endpoints that
   * went quiet or were deleted do not pile up.
   */
  private void arm(String endpointUid, PacedLine line, Instant now) {
    Instant next = line.nextCall(now);
    if (next == null) {
      next = line.idleFrom();
    }
    Instant at = next.isBefore(now) ? now : next;
    if (line.armedAt != null && !line.armedAt.isAfter(at)) {
      return;
    }
    line.armedAt = at;
    // not rounded up as for JOSDK's millisecond timer: a call a little early finds no turn and
    // arms again, while a rounded-up wait each turn would slow a strict (burst 1) limit down
    Duration delay = at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
    timer.schedule(delay, () -> call(endpointUid, at));
  }

  /**
   * A paced line's turn is due: wakes whoever's turn it is and arms the next call. A timer that an
   * earlier one replaced ({@code at} is no longer the line's) does nothing.
   */
  private void call(String endpointUid, Instant at) {
    List<Waiter> calling;
    synchronized (lock) {
      PacedLine line = paced.get(endpointUid);
      if (line == null || !at.equals(line.armedAt)) {
        return;
      }
      Instant now = clock.instant();
      line.armedAt = null;
      calling = line.call(now);
      Instant idle = line.idleFrom();
      if (idle != null && !idle.isAfter(now)) {
        paced.remove(endpointUid);
      } else {
        arm(endpointUid, line, now);
      }
    }
    wake(calling);
  }

  private static void wake(List<Waiter> waiters) {
    for (Waiter w : waiters) {
      w.wake().accept(w.id());
    }
  }

  /** Null when both slots were taken; else the limit that refused (nothing is held then). */
  Refused take(String endpointUid) {
    if (!overall.tryAcquire()) {
      return Refused.OVERALL;
    }
    if (!perEndpoint.tryAcquire(endpointUid)) {
      overall.release();
      return Refused.ENDPOINT;
    }
    return null;
  }

  /** Gives back both slots and wakes whoever waited longest for one. */
  public void release(String endpointUid) {
    perEndpoint.release(endpointUid);
    overall.release();
    Waiter next;
    synchronized (lock) {
      next = pollFirst(waitingForEndpoint.get(endpointUid));
      if (next == null) {
        next = waitingForAny.poll();
      }
    }
    if (next != null) {
      next.wake().accept(next.id());
    }
  }

  /** {@code waiter} no longer waits (it went another way): it leaves every line. */
  public void forget(Waiter waiter) {
    synchronized (lock) {
      waitingForAny.remove(waiter);
      waitingForEndpoint.values().removeIf(queue -> queue.remove(waiter) && queue.isEmpty());
      paced.values().forEach(line -> line.forget(waiter));
    }
  }

  /** How many endpoints have a paced line now. */
  int pacedLines() {
    synchronized (lock) {
      return paced.size();
    }
  }

  int waiting() {
    synchronized (lock) {
      return waitingForAny.size()
          + waitingForEndpoint.values().stream().mapToInt(LinkedHashSet::size).sum()
          + paced.values().stream().mapToInt(PacedLine::waiting).sum();
    }
  }

  private static Waiter pollFirst(LinkedHashSet<Waiter> queue) {
    if (queue == null || queue.isEmpty()) {
      return null;
    }
    var it = queue.iterator();
    Waiter first = it.next();
    it.remove();
    return first;
  }
}
