package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.api.v1alpha1.WebhookEventSpec;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.TestReceiver;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two operator instances, one per label shard ({@code --label-selector shard=a} and {@code
 * shard=b}), on one API server: each delivers its shard's deliveries, fanned out or created
 * directly, and nothing of the other's.
 */
@EnableKubernetesMockClient(crud = true)
class ShardingTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  KubernetesClient client;

  private final TestReceiver receiver = new TestReceiver();
  private final String ns = OperatorHarness.freshNamespace();
  private HeraldOperator shardA;
  private HeraldOperator shardB;

  @BeforeEach
  void start() {
    OperatorHarness.installCrds(client);
    shardA =
        new HeraldOperator(
                client, OperatorHarness.testConfig().toBuilder().labelSelector("shard=a").build())
            .start();
    shardB =
        new HeraldOperator(
                client, OperatorHarness.testConfig().toBuilder().labelSelector("shard=b").build())
            .start();
  }

  @AfterEach
  void stop() {
    shardA.close();
    shardB.close();
    receiver.close();
  }

  @Test
  void eachInstanceDeliversOnlyItsShard() {
    create(shard("a", recorded(endpoint(ns, "ep-a", receiver.url("/a"), "1s"))));
    create(shard("b", recorded(endpoint(ns, "ep-b", receiver.url("/b"), "1s"))));

    create(shard("a", event("order-a")));
    create(shard("b", event("order-b")));
    create(shard("b", delivery(ns, "direct-b", "ep-b", "{\"direct\":true}")));

    await().atMost(WAIT).until(() -> receiver.received().size() == 3);
    WebhookDelivery fannedA = awaitSucceeded(Herald.LABEL_EVENT, "order-a");
    WebhookDelivery fannedB = awaitSucceeded(Herald.LABEL_EVENT, "order-b");
    // an event reaches the endpoints of its own shard only, and its deliveries stay in that shard
    assertThat(fannedA.getSpec().getEndpointRef().getName()).isEqualTo("ep-a");
    assertThat(fannedA.getMetadata().getLabels())
        .containsEntry("shard", "a")
        .containsEntry("team", "payments");
    assertThat(fannedB.getSpec().getEndpointRef().getName()).isEqualTo("ep-b");
    assertThat(fannedB.getMetadata().getLabels()).containsEntry("shard", "b");
    assertThat(receiver.receivedOn("/a")).hasSize(1);
    assertThat(receiver.receivedOn("/b")).hasSize(2);

    // and each instance sent only to its own shard's endpoint
    assertThat(attemptedEndpoints(shardA)).containsExactly("ep-a");
    assertThat(attemptedEndpoints(shardB)).containsExactly("ep-b");
  }

  @Test
  void fannedOutDeliveriesKeepTheEventsLabelsButNotItsHeraldOnes() {
    create(shard("a", recorded(endpoint(ns, "ep-a", receiver.url("/a"), "1s"))));
    WebhookEvent event = shard("a", event("order-a"));
    event.getMetadata().getLabels().put(Herald.LABEL_ENDPOINT, "forged");
    create(event);

    WebhookDelivery d = awaitSucceeded(Herald.LABEL_EVENT, "order-a");
    assertThat(d.getMetadata().getLabels())
        .containsEntry("shard", "a")
        .containsEntry("team", "payments")
        .containsEntry(Herald.LABEL_ENDPOINT, "ep-a")
        .containsEntry(Herald.LABEL_EVENT, "order-a");
  }

  /** Endpoints that record successes: the tests look at the deliveries events create. */
  private WebhookEndpoint recorded(WebhookEndpoint e) {
    var history = new dev.herald.api.v1alpha1.HistorySpec();
    history.setRecordSuccesses(true);
    e.getSpec().setHistory(history);
    return e;
  }

  private <T extends HasMetadata> T shard(String shard, T resource) {
    resource.getMetadata().setLabels(new HashMap<>(Map.of("shard", shard, "team", "payments")));
    return resource;
  }

  private <T extends HasMetadata> void create(T resource) {
    client.resource(resource).create();
  }

  private WebhookEvent event(String name) {
    WebhookEvent event = new WebhookEvent();
    event.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    WebhookEventSpec spec = new WebhookEventSpec();
    spec.setEventType("order.created");
    spec.setPayload(
        delivery(ns, "unused", "x", "{\"order\":\"" + name + "\"}").getSpec().getPayload());
    event.setSpec(spec);
    return event;
  }

  private WebhookDelivery awaitSucceeded(String label, String value) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                client
                    .resources(WebhookDelivery.class)
                    .inNamespace(ns)
                    .withLabel(label, value)
                    .list()
                    .getItems()
                    .stream()
                    .anyMatch(
                        d ->
                            d.getStatus() != null
                                && d.getStatus().getPhase() == DeliveryPhase.Succeeded));
    return client
        .resources(WebhookDelivery.class)
        .inNamespace(ns)
        .withLabel(label, value)
        .list()
        .getItems()
        .get(0);
  }

  private static Set<String> attemptedEndpoints(HeraldOperator operator) {
    return operator.metrics().registry().find("herald.delivery.attempts").counters().stream()
        .filter(c -> c.count() > 0)
        .map((Counter c) -> c.getId().getTag("endpoint"))
        .collect(Collectors.toSet());
  }
}
