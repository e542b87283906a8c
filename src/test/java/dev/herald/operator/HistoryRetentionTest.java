package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.HistorySpec;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.testing.OperatorHarness;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

/** Finished deliveries do not pile up in etcd: ttlAfterFinished and keep per endpoint. */
@EnableKubernetesMockClient(crud = true)
class HistoryRetentionTest extends OperatorTestBase {

  @Test
  void keepsOnlyTheNewestFinishedDeliveriesPerEndpoint() {
    create(withHistory(endpoint(ns, "billing", receiver.url("/hook"), "1s"), "1h", 2));
    for (int i = 1; i <= 4; i++) {
      create(delivery(ns, "d" + i, "billing", "{\"i\": " + i + "}"));
      awaitPhase("d" + i, DeliveryPhase.Succeeded);
    }
    await().atMost(WAIT).until(() -> names().size() == 2);
    assertThat(names()).containsExactlyInAnyOrder("d3", "d4");
    assertThat(receiver.received()).hasSize(4);
  }

  @Test
  void deletesFinishedDeliveriesAfterTheirTtl() {
    create(withHistory(endpoint(ns, "billing", receiver.url("/hook"), "1s"), "2s", 100));
    create(delivery(ns, "short-lived", "billing", "{}"));
    awaitPhase("short-lived", DeliveryPhase.Succeeded);
    await().atMost(WAIT).until(() -> herald.delivery(ns, "short-lived") == null);
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void aBacklogOfSeveralBatchesIsNotDeletedAtOneBatchPerInterval() {
    herald.close();
    herald =
        new OperatorHarness(client)
            .start(
                OperatorHarness.testConfig().toBuilder()
                    .historySweep(java.time.Duration.ofSeconds(15))
                    .build());
    create(withHistory(endpoint(ns, "billing", receiver.url("/hook"), "1s"), "1h", 0));
    int backlog = 2 * dev.herald.delivery.FinishedDeliveries.BATCH + 5;
    for (int i = 0; i < backlog; i++) {
      create(delivery(ns, "d" + i, "billing", "{}"));
    }
    // the first pass comes after one interval; the rest of the backlog must not take two more
    await().atMost(WAIT).until(() -> receiver.received().size() == backlog && names().isEmpty());
  }

  private java.util.List<String> names() {
    return client.resources(WebhookDelivery.class).inNamespace(ns).list().getItems().stream()
        .map(d -> d.getMetadata().getName())
        .toList();
  }

  private static WebhookEndpoint withHistory(WebhookEndpoint e, String ttl, int keep) {
    HistorySpec history = new HistorySpec();
    history.setTtlAfterFinished(ttl);
    history.setKeep(keep);
    e.getSpec().setHistory(history);
    return e;
  }
}
