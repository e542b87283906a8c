package dev.herald.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which finished objects the budget deletes, and in which order. */
class FinishedBudgetTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  static FinishedBudget.Finished<String> item(
      String namespace, String name, boolean succeeded, int minute) {
    return new FinishedBudget.Finished<>(
        namespace + "/" + name, namespace, name, succeeded, T0.plusSeconds(60L * minute));
  }

  static List<String> evicted(FinishedBudget budget, List<FinishedBudget.Finished<String>> items) {
    return budget.evictions(items, 1_000).stream().map(e -> e.finished().object()).toList();
  }

  @Test
  void withinBudgetNothingGoes() {
    var items = List.of(item("a", "1", true, 1), item("a", "2", false, 2));
    assertThat(evicted(new FinishedBudget(2, 2), items)).isEmpty();
    assertThat(evicted(FinishedBudget.NONE, items)).isEmpty();
  }

  @Test
  void perNamespaceSucceededOnesGoFirstOldestFirst() {
    var items =
        List.of(
            item("a", "failed-oldest", false, 0),
            item("a", "ok-3", true, 3),
            item("a", "ok-1", true, 1),
            item("a", "failed-2", false, 2),
            item("a", "ok-5", true, 5),
            item("b", "ok-0", true, 0));
    // a holds 5, two beyond its budget of 3: the two oldest succeeded ones; b is within it
    assertThat(evicted(new FinishedBudget(3, 0), items)).containsExactly("a/ok-1", "a/ok-3");
  }

  @Test
  void failedOnesGoOnlyWhenNoSucceededOneIsLeft() {
    var items =
        List.of(
            item("a", "failed-0", false, 0),
            item("a", "failed-1", false, 1),
            item("a", "ok-9", true, 9),
            item("a", "failed-2", false, 2));
    assertThat(evicted(new FinishedBudget(1, 0), items))
        .containsExactly("a/ok-9", "a/failed-0", "a/failed-1");
  }

  @Test
  void theClusterBudgetCountsWhatTheNamespacesKeepAndTakesTheOldestAcrossThem() {
    List<FinishedBudget.Finished<String>> items = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      items.add(item("a", "ok-" + i, true, i));
      items.add(item("b", "ok-" + i, true, 10 + i));
    }
    items.add(item("b", "failed", false, 0));
    // per namespace 4: a/ok-0 goes, and of b's six its two oldest succeeded ones (not its older
    // failed one); 8 left, cluster budget 5: three more, the oldest succeeded ones across
    // namespaces (a's, then b's), b's failed one last
    var evictions = new FinishedBudget(4, 5).evictions(items, 1_000);
    assertThat(evictions)
        .extracting(e -> e.finished().object(), FinishedBudget.Eviction::scope)
        .containsExactly(
            tuple("a/ok-0", FinishedBudget.Scope.NAMESPACE),
            tuple("b/ok-0", FinishedBudget.Scope.NAMESPACE),
            tuple("b/ok-1", FinishedBudget.Scope.NAMESPACE),
            tuple("a/ok-1", FinishedBudget.Scope.CLUSTER),
            tuple("a/ok-2", FinishedBudget.Scope.CLUSTER),
            tuple("a/ok-3", FinishedBudget.Scope.CLUSTER));
  }

  @Test
  void atMostMaxAPass() {
    List<FinishedBudget.Finished<String>> items = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      items.add(item("a", "ok-" + i, true, i));
    }
    assertThat(new FinishedBudget(10, 0).evictions(items, 20))
        .hasSize(20)
        .first()
        .extracting(e -> e.finished().name())
        .isEqualTo("ok-0");
  }

  @Test
  void aNegativeBudgetIsRefused() {
    assertThatThrownBy(() -> new FinishedBudget(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1 per namespace");
  }

  @Test
  void theDefaultsStayInsideTheKep95Envelope() {
    assertThat(FinishedBudget.DEFAULT.perNamespace()).isLessThan(1_500);
    assertThat(FinishedBudget.DEFAULT.perCluster()).isLessThan(10_000);
  }
}
