package dev.herald.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one retention pass's deletions side by side, at most {@link #PARALLEL} at a time, and
 * returns once all have ended. One after another, a pass lasts as long as its deletions' waits for
 * the API budget added up: at the operator's full rate each waits a few hundred milliseconds, and
 * retention deleted a twentieth of what finished, so the finished objects grew past every budget.
 * The API budget, not this pool, bounds how fast deletions go ({@code kube.client.Throttle} gives
 * them a line of their own).
 */
public final class ParallelDeletions {
  private static final Logger LOG = LoggerFactory.getLogger(ParallelDeletions.class);

  /** Deletions open at once: as many as the API budget's default bound on open requests, twice. */
  public static final int PARALLEL = 8;

  private final ThreadPoolExecutor pool;

  /**
   * @param threadName the pool threads' name, numbered
   */
  public ParallelDeletions(String threadName) {
    AtomicInteger number = new AtomicInteger();
    pool =
        new ThreadPoolExecutor(
            PARALLEL,
            PARALLEL,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, threadName + "-" + number.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // idle between passes: no threads held for them, and nothing to shut down
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * Calls {@code delete} for each item, at most {@link #PARALLEL} at once, and waits for all.
   * Returns the items for which it returned true, in their order; one that threw is logged and left
   * out (the next pass tries it again while it is still there).
   */
  public <T> List<T> run(List<T> items, Predicate<T> delete) {
    List<Future<Boolean>> running = new ArrayList<>(items.size());
    for (T item : items) {
      running.add(pool.submit(() -> delete.test(item)));
    }
    List<T> deleted = new ArrayList<>();
    for (int i = 0; i < running.size(); i++) {
      try {
        if (running.get(i).get()) {
          deleted.add(items.get(i));
        }
      } catch (ExecutionException e) {
        LOG.warn("retention: a deletion failed: {}", e.getCause().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.forEach(f -> f.cancel(true));
        break;
      }
    }
    return deleted;
  }
}
