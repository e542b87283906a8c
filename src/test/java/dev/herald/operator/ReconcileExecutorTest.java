package dev.herald.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconcileExecutorTest {
  /** A JOSDK reconcile task as JOSDK's EventProcessor makes them. */
  private static Runnable josdkTask(ResourceID id) throws Exception {
    Class<?> task = Class.forName(ReconcileExecutor.JOSDK_TASK);
    Class<?> processor =
        Class.forName("io.javaoperatorsdk.operator.processing.event.EventProcessor");
    Class<?> scope = Class.forName("io.javaoperatorsdk.operator.processing.event.ExecutionScope");
    Constructor<?> constructor = task.getDeclaredConstructor(processor, ResourceID.class, scope);
    constructor.setAccessible(true);
    return (Runnable) constructor.newInstance(null, id, null);
  }

  @Test
  void readsTheNamespaceOfJosdksReconcileTasks() throws Exception {
    assertThat(ReconcileExecutor.recognisesJosdkTasks()).isTrue();
    assertThat(ReconcileExecutor.namespaceOf(josdkTask(new ResourceID("d-1", "shop"))))
        .isEqualTo("shop");
    assertThat(ReconcileExecutor.namespaceOf(josdkTask(new ResourceID("cluster-wide"))))
        .isEqualTo(ReconcileExecutor.NO_NAMESPACE);
    assertThat(ReconcileExecutor.namespaceOf(() -> {})).isEqualTo(ReconcileExecutor.NO_NAMESPACE);
  }

  @Test
  void aBusyNamespaceDoesNotHoldBackTheNextFreeThreadFromAnother() throws Exception {
    ThreadPoolExecutor pool =
        ReconcileExecutor.create(1, r -> r instanceof Named n ? n.namespace() : "");
    try {
      CountDownLatch blocker = new CountDownLatch(1);
      List<String> ran = new CopyOnWriteArrayList<>();
      pool.execute(() -> await(blocker)); // the only thread is busy: everything below waits in line
      for (int i = 0; i < 100; i++) {
        pool.execute(new Named("noisy", "noisy-" + i, ran));
      }
      pool.execute(new Named("quiet", "quiet-0", ran));

      blocker.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

      assertThat(ran).hasSize(101);
      assertThat(ran.indexOf("quiet-0"))
          .isEqualTo(1); // first come, first served would run it 101st
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aNamespaceWhoseReconcilesAllWaitDoesNotHoldEveryThread() throws Exception {
    ThreadPoolExecutor pool =
        ReconcileExecutor.create(10, r -> r instanceof Blocking b ? b.namespace() : "");
    CountDownLatch server = new CountDownLatch(1); // the noisy reconciles wait on a slow server
    try {
      AtomicInteger noisyRunning = new AtomicInteger();
      AtomicInteger noisyPeak = new AtomicInteger();
      for (int i = 0; i < 100; i++) {
        pool.execute(
            new Blocking(
                "noisy",
                () -> {
                  noisyPeak.accumulateAndGet(noisyRunning.incrementAndGet(), Math::max);
                  await(server);
                  noisyRunning.decrementAndGet();
                }));
      }
      // the noisy namespace takes every thread it may before the quiet one has anything to run
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (noisyRunning.get() < 9 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(100);
      assertThat(noisyPeak.get()).isEqualTo(9); // alone: every thread but the reserve

      CountDownLatch quietRan = new CountDownLatch(1);
      pool.execute(new Blocking("quiet", quietRan::countDown));
      // without a share the noisy reconciles hold all ten threads until the server answers
      assertThat(quietRan.await(5, TimeUnit.SECONDS)).isTrue();
      server.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pool.getCompletedTaskCount()).isEqualTo(101);
    } finally {
      server.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void timesANewDeliveryFromTheEventToItsFirstAttempt() throws Exception {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    var pickup = new dev.herald.metrics.HeraldMetrics(registry).pickup();
    ThreadPoolExecutor pool =
        ReconcileExecutor.create(
            1,
            r -> r instanceof Named n ? n.namespace() : "",
            r -> r instanceof Named n ? new ResourceID(n.name(), n.namespace()) : null,
            pickup);
    try {
      CountDownLatch blocker = new CountDownLatch(1);
      List<String> ran = new CopyOnWriteArrayList<>();
      pool.execute(() -> await(blocker)); // the only thread is busy: the delivery waits in line
      pickup.received("shop", "d-1");
      pool.execute(new Named("shop", "d-1", ran));
      Thread.sleep(200);
      blocker.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      pickup.sent("shop", "d-1"); // as the reconciler does when it hands the attempt to the sender

      var queue =
          registry
              .get("herald.delivery.pickup")
              .tags("namespace", "shop", "stage", "queue")
              .timer();
      assertThat(ran).containsExactly("d-1");
      assertThat(queue.count()).isEqualTo(1);
      assertThat(queue.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(190);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stands in for JOSDK's task (which cannot run outside JOSDK); its namespace is read by the key
   * given above.
   */
  /** A task of {@code namespace} that runs {@code body}. */
  private record Blocking(String namespace, Runnable body) implements Runnable {
    @Override
    public void run() {
      body.run();
    }
  }

  private record Named(String namespace, String name, List<String> ran) implements Runnable {
    @Override
    public void run() {
      ran.add(name);
    }
  }
}
