package dev.herald.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelDeletionsTest {
  private final ParallelDeletions deletions = new ParallelDeletions("test-delete");

  @Test
  void aPassesDeletionsWaitSideBySideNotOneAfterAnother() {
    // each deletion waits until PARALLEL of them are open at once: one after another, the first
    // would wait for ever (here: until its timeout, and then fail)
    CountDownLatch allOpen = new CountDownLatch(ParallelDeletions.PARALLEL);
    AtomicInteger open = new AtomicInteger();
    AtomicInteger mostOpen = new AtomicInteger();
    List<Integer> items = IntStream.range(0, 3 * ParallelDeletions.PARALLEL).boxed().toList();

    List<Integer> deleted =
        deletions.run(
            items,
            i -> {
              mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
              allOpen.countDown();
              try {
                return allOpen.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              } finally {
                open.decrementAndGet();
              }
            });

    assertThat(deleted).isEqualTo(items);
    assertThat(mostOpen).hasValue(ParallelDeletions.PARALLEL);
    assertThat(open).hasValue(0); // all ended before run returned
  }

  @Test
  void oneThatFailsOrKeepsItsObjectIsLeftOutAndTheOthersStillGo() {
    List<String> deleted =
        deletions.run(
            List.of("a", "conflict", "b", "kept", "c"),
            s -> {
              if (s.equals("conflict")) {
                throw new IllegalStateException("409");
              }
              return !s.equals("kept");
            });

    assertThat(deleted).containsExactly("a", "b", "c");
  }
}
