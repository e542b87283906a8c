package dev.herald.operator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard around each reconcile task of the pool Herald hands JOSDK ({@link ReconcileExecutor}):
 * a race in JOSDK 5.2.3 (still in its main branch) that otherwise ends a reconcile thread with an
 * uncaught {@code IllegalStateException: Task already scheduled or cancelled}.
 *
 * <p>{@code TimerEventSource.scheduleOnce} (every reschedule, retry and max-interval timer, called
 * from {@code EventProcessor.eventProcessingFinished} under the processor's lock) first puts its
 * new task in its map and then hands it to {@code java.util.Timer}. When the resource is deleted,
 * the informer's thread calls {@code TimerEventSource.onResourceDeleted}, outside that lock, which
 * takes the task out of the map and cancels it. If that falls between the two steps, {@code
 * Timer.schedule} refuses the cancelled task and the exception escapes the reconcile thread.
 * Nothing is lost at that point: processing of the resource had finished, and the delete event that
 * cancelled the task removes its state. So exactly this exception, thrown by that method, is logged
 * at debug and dropped; anything else still propagates.
 */
final class ReconcileThreads {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileThreads.class);
  static final String TIMER_RACE = "Task already scheduled or cancelled";

  private ReconcileThreads() {}

  static Runnable guarded(Runnable reconcile) {
    return new Guarded(reconcile);
  }

  /**
   * The task the pool was handed, under its guard (the fair line orders tasks by what they are
   * for).
   */
  static Runnable unwrap(Runnable task) {
    return task instanceof Guarded guarded ? guarded.reconcile() : task;
  }

  private record Guarded(Runnable reconcile) implements Runnable {
    @Override
    public void run() {
      try {
        reconcile.run();
      } catch (IllegalStateException e) {
        if (!isDeletionRace(e)) {
          throw e;
        }
        LOG.debug(
            "a reschedule raced the deletion of its resource (JOSDK TimerEventSource); nothing to do",
            e);
      }
    }
  }

  /** The JOSDK timer refusing a task the deletion of its resource cancelled, and nothing else. */
  static boolean isDeletionRace(IllegalStateException e) {
    if (!TIMER_RACE.equals(e.getMessage())) {
      return false;
    }
    for (StackTraceElement frame : e.getStackTrace()) {
      if (frame
              .getClassName()
              .equals("io.javaoperatorsdk.operator.processing.event.source.timer.TimerEventSource")
          && frame.getMethodName().equals("scheduleOnce")) {
        return true;
      }
    }
    return false;
  }
}
