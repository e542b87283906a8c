package dev.herald.delivery;

import static dev.herald.delivery.HistorySweeperTest.NOW;
import static dev.herald.delivery.HistorySweeperTest.endpoints;
import static dev.herald.delivery.HistorySweeperTest.finished;
import static dev.herald.delivery.HistorySweeperTest.history;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DeliveryReason;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.kube.EventRecorder;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.retention.Evictions;
import dev.herald.retention.FinishedBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pass against an API server: what it deletes, and what it counts as evicted. */
@EnableKubernetesMockClient(crud = true)
class HistorySweepTest {
  KubernetesClient client;

  @Test
  void aDeliveryAlreadyGoneIsNotCountedAsEvictedAgain() {
    // the informer still holds a delivery an earlier pass deleted: its delete finds nothing
    WebhookDelivery present = finished("present", "billing", NOW.minus(Duration.ofHours(2)));
    client.resource(present).create();
    WebhookDelivery gone = finished("gone", "billing", NOW.minus(Duration.ofHours(2)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    HistorySweeper sweeper =
        new HistorySweeper(
            client,
            () -> List.of(present, gone),
            endpoints(Map.of("billing", history("1h", 100))),
            clock,
            FinishedBudget.NONE,
            new Evictions(
                new HeraldMetrics(registry),
                new EventRecorder(client, clock),
                clock,
                "WebhookDelivery",
                DeliveryReason.BudgetExceeded));

    assertThat(sweeper.sweep()).isEqualTo(2); // both were due

    assertThat(client.resources(WebhookDelivery.class).inNamespace("ns").list().getItems())
        .isEmpty();
    assertThat(registry.get("herald.evictions").tag("reason", "ttl").counter().count())
        .isEqualTo(1.0);
  }
}
