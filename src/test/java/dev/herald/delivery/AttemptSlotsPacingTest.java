package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.AttemptSlots.Granted;
import dev.herald.delivery.AttemptSlots.NoSlot;
import dev.herald.delivery.AttemptSlots.Paced;
import dev.herald.delivery.AttemptSlots.Waiter;
import dev.herald.endpoint.RateLimit;
import dev.herald.testing.ManualClock;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Paced lines on a fake clock and a fake timer: waiters over the rate are queued oldest due first,
 * woken by the timer when their turn is due (never polled), and none is lost.
 */
class AttemptSlotsPacingTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final RateLimit FIVE_PER_SECOND = new RateLimit(5, Duration.ofSeconds(1), 1);

  private record Task(Instant at, Runnable run) {}

  private final ManualClock clock = new ManualClock(T0);
  private final List<Task> timers = new ArrayList<>();
  private final List<ResourceID> woken = new ArrayList<>();
  private final Consumer<ResourceID> wake = woken::add;
  private final AttemptSlots slots =
      new AttemptSlots(
          100,
          100,
          clock,
          (delay, task) -> timers.add(new Task(clock.instant().plus(delay), task)));

  private Waiter waiter(String name) {
    return new Waiter(new ResourceID(name, "shop"), wake);
  }

  private AttemptSlots.Admission ask(String name, RateLimit limit, Instant due) {
    return slots.tryAcquire("ep", limit, waiter(name), due);
  }

  /** Moves the clock to the earliest timer and runs it; false when none is set. */
  private boolean runNextTimer() {
    var next = timers.stream().min(Comparator.comparing(Task::at));
    if (next.isEmpty()) {
      return false;
    }
    timers.remove(next.get());
    if (next.get().at().isAfter(clock.instant())) {
      clock.set(next.get().at());
    }
    next.get().run().run();
    return true;
  }

  @Test
  void aLoneWaiterWokenForItsTurnIsToldHowLongItWaited() {
    RateLimit onePerSecond = new RateLimit(1, Duration.ofSeconds(1), 1);
    assertThat(ask("first", onePerSecond, T0)).isInstanceOf(Granted.class);
    slots.release("ep");
    assertThat(ask("second", onePerSecond, T0)).isInstanceOf(Paced.class);

    assertThat(runNextTimer()).isTrue();
    assertThat(woken).extracting(ResourceID::getName).containsExactly("second");
    // the line it was called from is still there when it comes back: a fresh one would not know
    // since when it waited (and herald_rate_limit_wait_seconds would miss every lone wait)
    var granted = ask("second", onePerSecond, T0);
    assertThat(granted).isInstanceOf(Granted.class);
    assertThat(((Granted) granted).waitedSince()).isEqualTo(T0);
    slots.release("ep");
    // and, once nobody waits or is called, the line still goes when its allowance is full again
    while (runNextTimer()) {}
    assertThat(slots.pacedLines()).isZero();
  }

  @Test
  void overTheRateWaitersQueueOldestDueFirstAndAreWokenOneIntervalApart() {
    assertThat(ask("first", FIVE_PER_SECOND, T0)).isInstanceOf(Granted.class);
    slots.release("ep");
    // asked in another order than they became due
    var late = ask("due-late", FIVE_PER_SECOND, T0.plusSeconds(3));
    var early = ask("due-early", FIVE_PER_SECOND, T0.minusSeconds(3));
    assertThat(late).isInstanceOf(Paced.class);
    assertThat(((Paced) late).started()).isTrue();
    assertThat(((Paced) early).ahead()).isZero();
    assertThat(woken).isEmpty();

    assertThat(runNextTimer()).isTrue();
    assertThat(clock.instant()).isEqualTo(T0.plusMillis(200));
    assertThat(woken).extracting(ResourceID::getName).containsExactly("due-early");
    // another newcomer cannot take the turn held for the woken one
    assertThat(ask("newcomer", FIVE_PER_SECOND, T0.plusSeconds(5))).isInstanceOf(Paced.class);
    assertThat(ask("due-early", FIVE_PER_SECOND, T0.minusSeconds(3))).isInstanceOf(Granted.class);
    slots.release("ep");
    woken.clear();

    assertThat(runNextTimer()).isTrue();
    assertThat(woken).extracting(ResourceID::getName).containsExactly("due-late");
    Instant calledAt = clock.instant();
    var granted = ask("due-late", FIVE_PER_SECOND, T0.plusSeconds(3));
    assertThat(((Granted) granted).waitedSince()).isEqualTo(T0);
    assertThat(calledAt).isEqualTo(T0.plusMillis(400));
  }

  @Test
  void twoHundredWaitersAllGoAtTheRateInOrderAndNoneIsLost() {
    List<String> sent = new ArrayList<>();
    List<Consumer<ResourceID>> self = new ArrayList<>();
    List<Instant> lastSent = new ArrayList<>();
    List<String> wakeUps = new ArrayList<>();
    Consumer<ResourceID> comeBack =
        id -> {
          wakeUps.add(id.getName());
          // a woken delivery reconciles at once and asks again (as the same waiter)
          if (slots.tryAcquire("ep", FIVE_PER_SECOND, new Waiter(id, self.get(0)), T0)
              instanceof Granted) {
            sent.add(id.getName());
            lastSent.add(clock.instant());
            slots.release("ep");
          }
        };
    self.add(comeBack);
    for (int i = 0; i < 200; i++) {
      var w = new Waiter(new ResourceID("d-" + i, "shop"), comeBack);
      if (slots.tryAcquire("ep", FIVE_PER_SECOND, w, T0) instanceof Granted) {
        sent.add("d-" + i);
        slots.release("ep");
      }
    }
    assertThat(sent).containsExactly("d-0");
    while (runNextTimer()) {
      // the timers stand for the time passing
    }
    assertThat(sent).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(sent.get(i)).isEqualTo("d-" + i);
    }
    // 199 waits of 200 ms each
    assertThat(Duration.between(T0, lastSent.get(lastSent.size() - 1)))
        .isEqualTo(Duration.ofMillis(39_800));
    assertThat(wakeUps).as("each waiter woken once, when its turn came: no polling").hasSize(199);
    assertThat(slots.waiting()).isZero();
    assertThat(slots.pacedLines())
        .as("a quiet line is dropped once its allowance is full")
        .isZero();
  }

  @Test
  void aLineIsKeptWhileItsAllowanceIsSpentSoABurstCannotComeBackEarly() {
    RateLimit onePerSecond = new RateLimit(1, Duration.ofSeconds(1), 1);
    assertThat(ask("a", onePerSecond, T0)).isInstanceOf(Granted.class);
    slots.release("ep");
    assertThat(slots.pacedLines()).isEqualTo(1);
    clock.set(T0.plusMillis(500));
    assertThat(ask("b", onePerSecond, clock.instant())).isInstanceOf(Paced.class);
    Instant dropped = null;
    while (runNextTimer()) {
      if (!woken.isEmpty()) {
        assertThat(ask("b", onePerSecond, T0.plusMillis(500))).isInstanceOf(Granted.class);
        slots.release("ep");
        woken.clear();
      }
      if (dropped == null && slots.pacedLines() == 0) {
        dropped = clock.instant(); // later timers, replaced by earlier ones, do nothing
      }
    }
    assertThat(dropped).isEqualTo(T0.plusSeconds(2)); // dropped when full again, not before
    assertThat(slots.pacedLines()).isZero();
  }

  @Test
  void aWokenWaiterThatNeverComesBackHoldsTheTurnOnlyForItsGrace() {
    ask("first", FIVE_PER_SECOND, T0);
    slots.release("ep");
    ask("gone", FIVE_PER_SECOND, T0);
    ask("next", FIVE_PER_SECOND, T0.plusSeconds(1));
    runNextTimer();
    assertThat(woken).extracting(ResourceID::getName).containsExactly("gone");
    Instant firstCall = clock.instant();
    // "gone" was deleted and never asks again: after the grace, "next" is called in its place
    runNextTimer();
    assertThat(woken).extracting(ResourceID::getName).containsExactly("gone", "next");
    assertThat(Duration.between(firstCall, clock.instant()))
        .isLessThanOrEqualTo(PacedLine.CALL_GRACE.plusMillis(2));
    assertThat(ask("next", FIVE_PER_SECOND, T0.plusSeconds(1))).isInstanceOf(Granted.class);
  }

  @Test
  void theSlotLimitStillHoldsAndAWaiterKeepsItsTurnWhileItWaitsForASlot() {
    AttemptSlots oneSlot =
        new AttemptSlots(
            100,
            1,
            clock,
            (delay, task) -> timers.add(new Task(clock.instant().plus(delay), task)));
    RateLimit fast = new RateLimit(100, Duration.ofSeconds(1), 10);
    assertThat(oneSlot.tryAcquire("ep", fast, waiter("a"), T0)).isInstanceOf(Granted.class);
    assertThat(oneSlot.tryAcquire("ep", fast, waiter("b"), T0)).isInstanceOf(NoSlot.class);
    oneSlot.release("ep");
    assertThat(woken).extracting(ResourceID::getName).containsExactly("b");
    assertThat(oneSlot.tryAcquire("ep", fast, waiter("b"), T0)).isInstanceOf(Granted.class);
  }

  @Test
  void liftingTheLimitReleasesEveryWaiterAtOnce() {
    ask("first", FIVE_PER_SECOND, T0);
    slots.release("ep");
    ask("a", FIVE_PER_SECOND, T0);
    ask("b", FIVE_PER_SECOND, T0);
    assertThat(ask("c", null, T0)).isInstanceOf(Granted.class);
    assertThat(woken).extracting(ResourceID::getName).containsExactlyInAnyOrder("a", "b");
    assertThat(ask("a", null, T0)).isInstanceOf(Granted.class);
  }

  @Test
  void otherPathsThatTakeASlotAreCountedByTheEndpointsLimitToo() {
    ask("delivery", FIVE_PER_SECOND, T0);
    slots.release("ep");
    // an event's first attempt (it names no limit): the endpoint's line applies
    assertThat(slots.tryAcquire("ep", waiter("event"))).isFalse();
    assertThat(slots.tryAcquire("other-endpoint", waiter("event"))).isTrue();
    runNextTimer();
    assertThat(woken).extracting(ResourceID::getName).containsExactly("event");
    assertThat(slots.tryAcquire("ep", waiter("event"))).isTrue();
  }

  @Test
  void aWaiterThatGoesAnotherWayLeavesTheLine() {
    ask("first", FIVE_PER_SECOND, T0);
    slots.release("ep");
    ask("a", FIVE_PER_SECOND, T0);
    ask("b", FIVE_PER_SECOND, T0.plusSeconds(1));
    assertThat(slots.waiting()).isEqualTo(2);
    slots.forget(waiter("a"));
    assertThat(slots.waiting()).isEqualTo(1);
    runNextTimer();
    assertThat(woken).extracting(ResourceID::getName).containsExactly("b");
  }

  @Test
  void theTurnEstimateCountsThoseAhead() {
    ask("first", FIVE_PER_SECOND, T0);
    slots.release("ep");
    for (int i = 0; i < 9; i++) {
      ask("w" + i, FIVE_PER_SECOND, T0.plusMillis(i));
    }
    Paced tenth = (Paced) ask("w9", FIVE_PER_SECOND, T0.plusMillis(9));
    assertThat(tenth.ahead()).isEqualTo(9);
    assertThat(tenth.turnIn()).isEqualTo(Duration.ofSeconds(2));
    Paced again = (Paced) ask("w9", FIVE_PER_SECOND, T0.plusMillis(9));
    assertThat(again.started()).as("asking again keeps its place").isFalse();
  }
}
