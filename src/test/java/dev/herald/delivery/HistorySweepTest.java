package dev.herald.delivery;

import static dev.herald.delivery.HistorySweeperTest.NOW;
import static dev.herald.delivery.HistorySweeperTest.endpoints;
import static dev.herald.delivery.HistorySweeperTest.finished;
import static dev.herald.delivery.HistorySweeperTest.history;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryReason;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.kube.EventRecorder;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.retention.Evictions;
import dev.herald.retention.FinishedBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pass against an API server: what it deletes, and what it counts as evicted. */
@EnableKubernetesMockClient(crud = true)
class HistorySweepTest {
  KubernetesClient client;
  KubernetesMockServer server;

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

    assertThat(sweeper.sweep()).isEqualTo(2); // both were due, neither labelled: one request each

    assertThat(client.resources(WebhookDelivery.class).inNamespace("ns").list().getItems())
        .isEmpty();
    assertThat(registry.get("herald.evictions").tag("reason", "ttl").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void deliveriesThatFinishedInOneTenthOfASecondGoByOneRequest() throws Exception {
    Instant second = NOW.minus(Duration.ofHours(2));
    List<WebhookDelivery> due = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      WebhookDelivery d = labelled(finished("d" + i, "billing", second.plusMillis(i)));
      client.resource(d).create();
      due.add(d);
    }
    // a delivery of the same phase a second later, not due: the request must not select it
    WebhookDelivery later = labelled(finished("later", "billing", NOW.minusSeconds(30)));
    client.resource(later).create();
    List<WebhookDelivery> informer = new ArrayList<>(due);
    informer.add(later);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HistorySweeper sweeper = sweeper(informer, registry);
    int before = server.getRequestCount();

    assertThat(sweeper.sweep()).as("requests wanted").isEqualTo(1);

    assertThat(server.getRequestCount() - before).as("one deletecollection").isEqualTo(1);
    RecordedRequest request = server.getLastRequest();
    assertThat(request.getMethod()).isEqualTo("DELETE");
    assertThat(URLDecoder.decode(request.getPath(), StandardCharsets.UTF_8))
        .contains("/webhookdeliveries?")
        .contains(Herald.LABEL_FINISHED + "=" + second.getEpochSecond() + ".0");
    assertThat(client.resources(WebhookDelivery.class).inNamespace("ns").list().getItems())
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("later");
    assertThat(registry.get("herald.evictions").tag("reason", "ttl").counter().count())
        .isEqualTo(3.0);
  }

  @Test
  void aTenthOfMoreThanABatchStillGoesByOneRequest() {
    // a burst of first attempts finishes hundreds in moments: capped at a batch before they were
    // grouped, such a group was never wholly due and went one by one
    Instant second = NOW.minus(Duration.ofHours(2));
    List<WebhookDelivery> informer = new ArrayList<>();
    for (int i = 0; i < HistoryLimits.BATCH + 50; i++) {
      WebhookDelivery d = labelled(finished("d" + i, "billing", second.plusNanos(i * 1_000L)));
      client.resource(d).create();
      informer.add(d);
    }
    int before = server.getRequestCount();

    sweeper(informer, new SimpleMeterRegistry()).sweep();

    assertThat(server.getRequestCount() - before).as("one deletecollection").isEqualTo(1);
    assertThat(client.resources(WebhookDelivery.class).inNamespace("ns").list().getItems())
        .isEmpty();
  }

  private HistorySweeper sweeper(List<WebhookDelivery> informer, SimpleMeterRegistry registry) {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    return new HistorySweeper(
        client,
        () -> informer,
        endpoints(Map.of("billing", history("1h", 100))),
        clock,
        FinishedBudget.NONE,
        new Evictions(
            new HeraldMetrics(registry),
            new EventRecorder(client, clock),
            clock,
            "WebhookDelivery",
            DeliveryReason.BudgetExceeded));
  }

  /** The labels its status write would have given it. */
  static WebhookDelivery labelled(WebhookDelivery d) {
    d.getMetadata().setLabels(DeliveryStatuses.labels(d, d.getStatus()));
    return d;
  }
}
