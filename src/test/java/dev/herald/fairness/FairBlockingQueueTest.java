package dev.herald.fairness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The blocking side that ThreadPoolExecutor relies on, served round robin by the element's key. */
class FairBlockingQueueTest {
  /** Elements are "namespace/name". */
  private final FairBlockingQueue<String, String> queue =
      new FairBlockingQueue<>(e -> e.substring(0, e.indexOf('/')));

  @Test
  void servesKeysInTurn() throws InterruptedException {
    queue.offer("noisy/1");
    queue.offer("noisy/2");
    queue.offer("noisy/3");
    queue.offer("quiet/1");

    assertThat(queue.take()).isEqualTo("noisy/1");
    assertThat(queue.poll(1, TimeUnit.SECONDS)).isEqualTo("quiet/1");
    assertThat(queue.poll()).isEqualTo("noisy/2");
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void pollWaitsAtMostItsTimeoutAndTakeWakesOnOffer() throws Exception {
    assertThat(queue.poll(10, TimeUnit.MILLISECONDS)).isNull();

    CompletableFuture<String> taken = takeAsync(queue);
    queue.put("a/1");

    assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo("a/1");
  }

  @Test
  void drainToRemoveAndIteratorAsThreadPoolExecutorUsesThemOnShutdown() {
    queue.offer("a/1");
    queue.offer("a/2");
    queue.offer("b/1");
    queue.offer("b/2");

    assertThat(queue.remove("a/2")).isTrue();
    Iterator<String> it = queue.iterator();
    assertThat(it.next()).isEqualTo("a/1");
    it.remove();
    assertThat(queue.peek()).isEqualTo("b/1");

    List<String> drained = new ArrayList<>();
    assertThat(queue.drainTo(drained, 1)).isEqualTo(1);
    assertThat(queue.drainTo(drained)).isEqualTo(1);
    assertThat(drained).containsExactly("b/1", "b/2");
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.remainingCapacity()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void withAShareAKeyRunsNoMoreThanItsPartUntilItsElementsAreDone() throws Exception {
    FairBlockingQueue<String, String> shared =
        new FairBlockingQueue<>(e -> e.substring(0, e.indexOf('/')), new FairShare(4, 1));
    for (int i = 0; i < 10; i++) {
      shared.offer("noisy/" + i);
    }

    assertThat(shared.take()).isEqualTo("noisy/0");
    assertThat(shared.poll()).isEqualTo("noisy/1");
    assertThat(shared.poll()).isEqualTo("noisy/2");
    assertThat(shared.poll()).isNull(); // alone: every slot but the reserve
    assertThat(shared.running("noisy")).isEqualTo(3);

    shared.offer("quiet/0");
    assertThat(shared.poll(10, TimeUnit.MILLISECONDS)).isEqualTo("quiet/0");
    shared.done("noisy/0");
    // two busy keys: two slots each of the three outside the reserve; noisy still holds two
    assertThat(shared.poll()).isNull();

    CompletableFuture<String> taken = takeAsync(shared);
    shared.done("quiet/0"); // noisy is alone again: its share grows and the waiting take wakes
    assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo("noisy/3");
  }

  /** A take() on another thread. */
  private static CompletableFuture<String> takeAsync(FairBlockingQueue<String, String> queue) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return queue.take();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
