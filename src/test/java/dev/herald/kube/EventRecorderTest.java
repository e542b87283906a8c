package dev.herald.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ManualClock;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events are a courtesy that must not flood the API server: one per object and reason a minute. */
@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {
  KubernetesClient client;

  @Test
  void theSameReasonOnTheSameObjectIsRateLimited() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-25T10:00:00Z"));
    EventRecorder events = new EventRecorder(client, clock);
    ConfigMap object =
        client
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("o")
                    .withNamespace("ns")
                    .withUid("uid-1")
                    .endMetadata()
                    .build())
            .create();

    for (int i = 0; i < 10; i++) {
      events.warning(object, "Failing", "attempt " + i);
    }
    events.emit(object, dev.herald.api.v1alpha1.EndpointReason.Recovered, "ok");
    assertThat(reasons()).containsExactlyInAnyOrder("Failing", "Recovered");

    clock.advance(EventRecorder.MIN_INTERVAL.minusSeconds(1));
    events.warning(object, "Failing", "still");
    assertThat(reasons()).hasSize(2);

    clock.advance(Duration.ofSeconds(1));
    events.warning(object, "Failing", "again");
    assertThat(reasons()).containsExactlyInAnyOrder("Failing", "Recovered", "Failing");
  }

  @Test
  void manyObjectsOfOneKindShareTheirNamespacesBudget() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-25T10:00:00Z"));
    EventRecorder events = new EventRecorder(client, clock);
    int many = EventRecorder.BUDGET_BURST * 4;
    for (int i = 0; i < many; i++) {
      events.warning(configMap("ns", "o-" + i), "Failing", "attempt failed");
    }
    assertThat(reasons()).hasSize(EventRecorder.BUDGET_BURST);

    // another kind in the same namespace, and the same kind in another, have budgets of their own
    events.warning(secret("ns", "s"), "Failing", "why the objects fail");
    events.warning(configMap("other", "o-0"), "Failing", "attempt failed");
    assertThat(reasons()).hasSize(EventRecorder.BUDGET_BURST + 1);
    assertThat(client.v1().events().inNamespace("other").list().getItems()).hasSize(1);

    // then the budget's rate: ten seconds let ten more through
    clock.advance(Duration.ofSeconds(10));
    for (int i = many; i < many * 2; i++) {
      events.warning(configMap("ns", "o-" + i), "Failing", "attempt failed");
    }
    assertThat(reasons())
        .hasSize(EventRecorder.BUDGET_BURST + 1 + (int) (10 * EventRecorder.BUDGET_PER_SECOND));
  }

  private static ConfigMap configMap(String namespace, String name) {
    ConfigMap object =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withUid(namespace + "-" + name)
            .endMetadata()
            .build();
    object.setKind("ConfigMap");
    return object;
  }

  private static io.fabric8.kubernetes.api.model.Secret secret(String namespace, String name) {
    return new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withUid(namespace + "-secret-" + name)
        .endMetadata()
        .build();
  }

  private List<String> reasons() {
    return client.v1().events().inNamespace("ns").list().getItems().stream()
        .map(Event::getReason)
        .toList();
  }
}
