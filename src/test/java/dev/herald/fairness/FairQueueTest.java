package dev.herald.fairness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FairQueueTest {
  private final FairQueue<String, String> queue = new FairQueue<>();

  private List<String> drain() {
    List<String> out = new ArrayList<>();
    for (String item = queue.poll(); item != null; item = queue.poll()) {
      out.add(item);
    }
    return out;
  }

  @Test
  void aKeyWithAThousandQueuedDelaysAnotherKeysItemByOneItem() {
    for (int i = 0; i < 1000; i++) {
      queue.add("noisy", "n" + i);
    }
    queue.add("quiet", "q0");

    assertThat(queue.poll()).isEqualTo("n0");
    assertThat(queue.poll())
        .isEqualTo("q0"); // not 1001st, as first come first served would have it
    assertThat(queue.poll()).isEqualTo("n1");
    assertThat(queue.size()).isEqualTo(998);
  }

  @Test
  void pollingOnlyEligibleKeysPassesOverTheOthersWithoutTheirLosingTheirTurn() {
    queue.add("a", "a1");
    queue.add("a", "a2");
    queue.add("b", "b1");
    queue.add("c", "c1");

    assertThat(queue.poll(key -> !key.equals("a"))).isEqualTo("b1");
    assertThat(queue.poll(key -> false)).isNull();
    assertThat(queue.keys()).isEqualTo(2); // a and c; b ran dry
    assertThat(drain()).containsExactly("a1", "c1", "a2"); // a kept its turn at the front
  }

  @Test
  void keysTakeTurnsAndEachKeyIsFirstComeFirstServed() {
    queue.add("a", "a1");
    queue.add("a", "a2");
    queue.add("a", "a3");
    queue.add("b", "b1");
    queue.add("b", "b2");
    queue.add("c", "c1");

    assertThat(drain()).containsExactly("a1", "b1", "c1", "a2", "b2", "a3");
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.poll()).isNull();
    assertThat(queue.peek()).isNull();
  }

  @Test
  void aKeyThatRanDryQueuesBehindTheKeysAlreadyWaiting() {
    queue.add("a", "a1");
    queue.add("b", "b1");
    queue.add("b", "b2");
    assertThat(queue.poll()).isEqualTo("a1"); // a's lane is empty now and leaves the turns

    queue.add("a", "a2");

    assertThat(drain()).containsExactly("b1", "a2", "b2");
  }

  @Test
  void anItemAlreadyInLineKeepsItsPlace() {
    queue.add("a", "x");
    queue.add("a", "y");

    assertThat(queue.add("a", "x")).isFalse();

    assertThat(queue.size()).isEqualTo(2);
    assertThat(drain()).containsExactly("x", "y");
  }

  @Test
  void removeTakesAnItemOutOfLineAndAnEmptiedKeyLosesItsTurn() {
    queue.add("a", "a1");
    queue.add("b", "b1");
    queue.add("a", "a2");

    assertThat(queue.remove("b1")).isTrue();
    assertThat(queue.remove("b1")).isFalse();
    assertThat(queue.size("b")).isZero();

    assertThat(queue.peek()).isEqualTo("a1");
    assertThat(queue.snapshot()).containsExactly("a1", "a2");
    assertThat(drain()).containsExactly("a1", "a2");
  }
}
