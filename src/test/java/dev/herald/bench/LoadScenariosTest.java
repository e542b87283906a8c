package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadScenariosTest {
  private static final String BEFORE =
      """
      herald_kube_api_requests_total{resource="webhookdeliveries",verb="create"} 10.0
      herald_kube_api_requests_total{resource="webhookdeliveries",verb="patch"} 20.0
      herald_kube_api_requests_total{resource="webhookdeliveries",verb="watch"} 2.0
      """;

  private static final String AFTER =
      """
      herald_kube_api_requests_total{resource="webhookdeliveries",verb="create"} 40.0
      herald_kube_api_requests_total{resource="webhookdeliveries",verb="patch"} 20.0
      herald_kube_api_requests_total{resource="webhookdeliveries",verb="watch"} 9.0
      herald_kube_api_requests_total{resource="webhookevents",verb="patch"} 10.0
      herald_kube_api_requests_total{resource="webhookdeliveries",verb="get"} 5.0
      herald_kube_api_requests_total{resource="webhookdeliveries",verb="delete"} 3.0
      herald_kube_api_requests_total{resource="events",verb="create"} 1.0
      """;

  @Test
  void countsOnlyWritesThatHappenedBetweenTheScrapes() {
    var writes = LoadScenarios.writesBySeries(BEFORE, AFTER);
    assertThat(writes)
        .containsOnlyKeys(
            "{resource=\"webhookdeliveries\",verb=\"create\"}",
            "{resource=\"webhookevents\",verb=\"patch\"}",
            "{resource=\"webhookdeliveries\",verb=\"delete\"}",
            "{resource=\"events\",verb=\"create\"}");
    assertThat(writes.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(44.0);
  }

  @Test
  void readsAreGetsAndListsNotWatches() {
    var reads = LoadScenarios.requestsBySeries(BEFORE, AFTER, LoadScenarios.READ_VERBS);
    assertThat(reads)
        .containsOnlyKeys("{resource=\"webhookdeliveries\",verb=\"get\"}")
        .containsValue(5.0);
  }

  @Test
  void aJarWithoutTheCounterHasNoWrites() {
    assertThat(LoadScenarios.writesBySeries("", "jvm_threads_live 12\n")).isEmpty();
  }
}
