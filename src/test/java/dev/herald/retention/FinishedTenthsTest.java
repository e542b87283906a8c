package dev.herald.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.Herald;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FinishedTenthsTest {
  static final Instant NOW = Instant.parse("2026-12-04T05:00:00Z");
  static final Instant OLD = NOW.minusSeconds(60);
  static final FinishedTenths.Group OLD_SUCCEEDED =
      new FinishedTenths.Group("ns", "Succeeded", FinishedTenths.label(OLD));

  @Test
  void aSecondWhoseFinishedObjectsAreAllDueGoesWhole() {
    List<HasMetadata> finished = objects("a", "b", "c");

    var plan = FinishedTenths.plan(finished, Function.identity(), finished, NOW, Map.of());

    assertThat(plan.whole()).containsOnlyKeys(OLD_SUCCEEDED);
    assertThat(names(plan.whole().get(OLD_SUCCEEDED))).containsExactly("a", "b", "c");
    assertThat(plan.alone()).isEmpty();
    assertThat(OLD_SUCCEEDED.labels())
        .containsOnly(
            Map.entry(Herald.LABEL_PHASE, "Succeeded"),
            Map.entry(Herald.LABEL_FINISHED, OLD.getEpochSecond() + ".0"));
  }

  @Test
  void dueObjectsOfASecondNotAllDueWaitForTheRestThenGoAlone() {
    List<HasMetadata> finished = objects("a", "b", "c");
    List<HasMetadata> due = finished.subList(0, 2);

    var first = FinishedTenths.plan(due, Function.identity(), finished, NOW, Map.of());
    assertThat(first.whole()).isEmpty();
    assertThat(first.alone()).isEmpty();
    assertThat(first.waiting()).containsExactly(Map.entry(OLD_SUCCEEDED, NOW));

    // passes come as often as every 100 ms while behind: the wait is a time, not a pass count
    Instant soon = NOW.plus(FinishedTenths.MAX_WAIT).minusMillis(1);
    var again = FinishedTenths.plan(due, Function.identity(), finished, soon, first.waiting());
    assertThat(again.alone()).isEmpty();
    assertThat(again.waiting()).containsExactly(Map.entry(OLD_SUCCEEDED, NOW));

    // the rest fell due meanwhile: the whole tenth goes
    var whole = FinishedTenths.plan(finished, Function.identity(), finished, soon, again.waiting());
    assertThat(whole.whole()).containsOnlyKeys(OLD_SUCCEEDED);
    assertThat(whole.waiting()).isEmpty();

    // it did not: alone once the wait is over
    Instant late = NOW.plus(FinishedTenths.MAX_WAIT);
    var alone = FinishedTenths.plan(due, Function.identity(), finished, late, again.waiting());
    assertThat(alone.whole()).isEmpty();
    assertThat(names(alone.alone())).containsExactly("a", "b");
    assertThat(alone.waiting()).isEmpty();
  }

  @Test
  void aSecondTooRecentForTheInformerToHaveHeardOfAllItsObjectsGoesOneByOne() {
    Instant recent = NOW.minus(FinishedTenths.SETTLE).plusMillis(1);
    List<HasMetadata> finished =
        List.of(object("a", "Succeeded", recent), object("b", "Succeeded", recent));

    var plan = FinishedTenths.plan(finished, Function.identity(), finished, NOW, Map.of());

    assertThat(plan.whole()).isEmpty();
    assertThat(names(plan.alone())).containsExactly("a", "b");
  }

  @Test
  void phasesNamespacesAndSecondsAreGroupsApart() {
    List<HasMetadata> finished = new ArrayList<>(objects("a", "b"));
    finished.add(object("x", "Exhausted", OLD));
    finished.add(object("y", "Exhausted", OLD));
    finished.add(object("z", "Succeeded", OLD.minusSeconds(1)));
    HasMetadata other = object("o", "Succeeded", OLD);
    other.getMetadata().setNamespace("other");
    finished.add(other);
    // a finished object that is not due keeps the others of its tenth from going whole
    List<HasMetadata> all = new ArrayList<>(finished);
    all.add(object("kept", "Exhausted", OLD));

    var plan = FinishedTenths.plan(finished, Function.identity(), all, NOW, Map.of());

    assertThat(plan.whole()).containsOnlyKeys(OLD_SUCCEEDED);
    assertThat(names(plan.alone()))
        .as("a tenth with one due object: no cheaper as a collection")
        .containsExactlyInAnyOrder("z", "o");
    assertThat(plan.waiting())
        .containsOnlyKeys(new FinishedTenths.Group("ns", "Exhausted", FinishedTenths.label(OLD)));
  }

  @Test
  void anObjectWithoutTheLabelsOrWithAnotherValueGoesAlone() {
    HasMetadata unlabelled =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName("u")
            .endMetadata()
            .build();
    HasMetadata odd = object("odd", "Succeeded", OLD);
    odd.getMetadata().getLabels().put(Herald.LABEL_FINISHED, "yesterday");
    List<HasMetadata> finished = List.of(unlabelled, odd);

    var plan = FinishedTenths.plan(finished, Function.identity(), finished, NOW, Map.of());

    assertThat(plan.whole()).isEmpty();
    assertThat(names(plan.alone())).containsExactly("u", "odd");
    assertThat(FinishedTenths.groupOf(odd)).isNull();
  }

  static List<HasMetadata> objects(String... names) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String name : names) {
      objects.add(object(name, "Succeeded", OLD.plusMillis(objects.size())));
    }
    return objects;
  }

  static HasMetadata object(String name, String phase, Instant finished) {
    ConfigMap object =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName(name)
            .addToLabels(Herald.LABEL_PHASE, phase)
            .addToLabels(Herald.LABEL_FINISHED, FinishedTenths.label(finished))
            .endMetadata()
            .build();
    return object;
  }

  static List<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).toList();
  }
}
