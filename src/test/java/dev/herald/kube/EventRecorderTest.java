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

  private List<String> reasons() {
    return client.v1().events().inNamespace("ns").list().getItems().stream()
        .map(Event::getReason)
        .toList();
  }
}
