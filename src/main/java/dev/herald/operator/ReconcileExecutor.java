package dev.herald.operator;

import dev.herald.fairness.FairBlockingQueue;
import dev.herald.fairness.FairShare;
import dev.herald.metrics.DeliveryPickup;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.lang.reflect.Field;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JOSDK's reconcile thread pool, with its waiting tasks served round robin per namespace ({@link
 * FairBlockingQueue}) instead of first come, first served: a namespace with a thousand deliveries
 * due puts a thousand reconciles in line, and another namespace's reconcile then waits for one of
 * them, not for all. And a namespace holds at most its {@link FairShare} of the threads, with a
 * reserve that a namespace holding its part never takes: when the busy namespace's reconciles wait
 * on the API server, another namespace's reconcile still finds a free thread at once instead of
 * waiting for one of theirs to finish.
 *
 * <p>JOSDK hands the pool a private Runnable per reconcile whose only handle on the resource is its
 * private {@code resourceID} field (JOSDK 5 has no hook to order reconciles); it is read
 * reflectively. Should a JOSDK upgrade rename it, every task shares one lane (first come, first
 * served as before, logged once) and {@code ReconcileExecutorTest} fails.
 */
final class ReconcileExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileExecutor.class);
  static final String JOSDK_TASK =
      "io.javaoperatorsdk.operator.processing.event.EventProcessor$ReconcilerExecutor";

  /**
   * The lane of tasks that name no namespace (cluster-scoped resources, or a JOSDK task not
   * recognised).
   */
  static final String NO_NAMESPACE = "";

  private static final Field RESOURCE_ID = resourceIdField();

  private ReconcileExecutor() {}

  static ThreadPoolExecutor create(int threads, DeliveryPickup pickup) {
    return create(threads, ReconcileExecutor::namespaceOf, ReconcileExecutor::resourceIdOf, pickup);
  }

  static ThreadPoolExecutor create(int threads, Function<Runnable, String> namespaceOf) {
    return create(threads, namespaceOf, task -> null, null);
  }

  /**
   * {@code pickup}: told when each reconcile of a resource ({@code resourceOf}: null for a task
   * that is none) is handed in and when a thread starts it; null: nobody is.
   */
  static ThreadPoolExecutor create(
      int threads,
      Function<Runnable, String> namespaceOf,
      Function<Runnable, ResourceID> resourceOf,
      DeliveryPickup pickup) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> new Thread(r, "herald-reconcile-" + n.incrementAndGet());
    // the line sees the task JOSDK handed in; the thread runs it under the timer-race guard
    FairBlockingQueue<String, Runnable> line =
        new FairBlockingQueue<>(
            task -> namespaceOf.apply(Timed.unwrap(ReconcileThreads.unwrap(task))),
            FairShare.of(threads));
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, line, factory) {
          @Override
          public void execute(Runnable command) {
            ResourceID id = pickup == null ? null : resourceOf.apply(command);
            if (id != null) {
              pickup.submitted(id.getNamespace().orElse(NO_NAMESPACE), id.getName());
              command = new Timed(command, id, pickup);
            }
            super.execute(ReconcileThreads.guarded(command));
          }

          @Override
          protected void afterExecute(Runnable task, Throwable error) {
            line.done(task);
          }
        };
    // every task then goes through the line, which counts what each namespace runs: a task handed
    // to a thread being started would bypass it
    pool.prestartAllCoreThreads();
    return pool;
  }

  /** The namespace of the resource a JOSDK reconcile task is for. */
  static String namespaceOf(Runnable task) {
    ResourceID id = resourceIdOf(task);
    return id == null ? NO_NAMESPACE : id.getNamespace().orElse(NO_NAMESPACE);
  }

  /** The resource a JOSDK reconcile task is for; null for any other task. */
  static ResourceID resourceIdOf(Runnable task) {
    if (RESOURCE_ID == null || !RESOURCE_ID.getDeclaringClass().isInstance(task)) {
      return null;
    }
    try {
      return (ResourceID) RESOURCE_ID.get(task);
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  /** A reconcile task that tells {@link DeliveryPickup} when a thread starts it. */
  private record Timed(Runnable task, ResourceID id, DeliveryPickup pickup) implements Runnable {
    @Override
    public void run() {
      pickup.started(id.getNamespace().orElse(NO_NAMESPACE), id.getName());
      task.run();
    }

    static Runnable unwrap(Runnable task) {
      return task instanceof Timed timed ? timed.task() : task;
    }
  }

  static boolean recognisesJosdkTasks() {
    return RESOURCE_ID != null;
  }

  private static Field resourceIdField() {
    try {
      Field field = Class.forName(JOSDK_TASK).getDeclaredField("resourceID");
      if (field.getType() != ResourceID.class) {
        throw new NoSuchFieldException("resourceID is a " + field.getType());
      }
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "reconciles are served first come, first served, not per namespace: this JOSDK's reconcile task"
              + " is not the one Herald knows ({})",
          e.toString());
      return null;
    }
  }
}
