package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.HistorySpec;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.api.v1alpha1.WebhookEventSpec;
import dev.herald.kube.Hashes;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Publish once, deliver to every subscriber: a WebhookEvent fans out to matching endpoints. These
 * endpoints ask for a record of every delivery ({@code history.recordSuccesses}), so each gets a
 * WebhookDelivery whatever its first attempt does: the tests are about those deliveries (names,
 * ownership, conflicts). The first attempts made by the event itself are {@link PublishOnceTest}'s.
 */
@EnableKubernetesMockClient(crud = true)
class FanOutTest extends OperatorTestBase {

  @Test
  void anEventReachesEverySubscribedEndpointOnceEvenIfPublishedTwice() {
    create(subscribed("billing", "/billing", List.of("order.*")));
    create(subscribed("crm", "/crm", List.of())); // every type
    create(subscribed("invoices", "/invoices", List.of("invoice.*"))); // not this one
    awaitEndpointsReady("billing", "crm", "invoices");

    create(event("order-1001", "evt_1001"));
    await().atMost(WAIT).until(() -> receiver.received().size() == 2);
    WebhookEvent published = awaitFannedOut("order-1001");
    assertThat(published.getStatus().getDeliveries()).isEqualTo(2);
    assertThat(published.getStatus().getEndpoints()).containsExactly("billing", "crm");

    List<WebhookDelivery> deliveries =
        client
            .resources(WebhookDelivery.class)
            .inNamespace(ns)
            .withLabel(Herald.LABEL_EVENT, "order-1001")
            .list()
            .getItems();
    assertThat(deliveries)
        .hasSize(2)
        .allSatisfy(
            d -> {
              assertThat(d.getSpec().getDeliveryId()).isEqualTo("evt_1001");
              assertThat(d.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(
                      o -> assertThat(o.getUid()).isEqualTo(published.getMetadata().getUid()));
            });
    for (WebhookDelivery d : deliveries) {
      awaitPhase(d.getMetadata().getName(), DeliveryPhase.Succeeded);
    }
    assertThat(receiver.receivedOn("/invoices")).isEmpty();
    assertThat(receiver.received())
        .allSatisfy(
            r -> {
              assertThat(r.header("webhook-id")).isEqualTo("evt_1001");
              assertThat(r.bodyText()).isEqualTo("{\"orderId\":1001}");
            });

    // the producer retries its publication: same event id, no new deliveries, nothing sent again
    create(event("order-1001-retry", "evt_1001"));
    WebhookEvent retry = awaitFannedOut("order-1001-retry");
    assertThat(retry.getStatus().getConditions().get(0).getMessage()).contains("existed already");
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> receiver.received().size() == 2);
    assertThat(client.resources(WebhookDelivery.class).inNamespace(ns).list().getItems())
        .hasSize(2);
  }

  /**
   * Delivery names can be computed from the event id, so a tenant can create one first with a
   * payload of their own: the event must not count it as its delivery, say so, and still deliver.
   */
  @Test
  void aPrecreatedDeliveryUnderTheComputedNameIsNotMistakenForTheEvents() {
    create(subscribed("billing", "/billing", List.of("order.*")));
    WebhookDelivery forged =
        delivery(ns, computedName("evt_1001", "billing"), "billing", "{\"orderId\": 666}");
    forged.getSpec().setDeliveryId("evt_1001");
    forged.getSpec().setEventType("order.created");
    create(forged);
    await()
        .atMost(WAIT)
        .until(
            () -> receiver.received().size() == 1); // the forged one goes out as any delivery would

    create(event("order-1001", "evt_1001"));
    WebhookEvent published = awaitFannedOut("order-1001");
    await()
        .atMost(WAIT)
        .until(
            () ->
                receiver.receivedOn("/billing").stream()
                    .anyMatch(r -> r.bodyText().equals("{\"orderId\":1001}")));
    Condition ready = published.getStatus().getConditions().get(0);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("Conflict");
    assertThat(ready.getMessage())
        .contains(forged.getMetadata().getName(), "billing", "not created by a fan-out");
    assertThat(ready.getMessage()).doesNotContain("666");
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.v1().events().inNamespace(ns).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "Conflict".equals(e.getReason())
                                && "order-1001".equals(e.getInvolvedObject().getName())));

    // the forged delivery is left as it was; the event's own one is owned by the event
    assertThat(
            herald
                .delivery(ns, forged.getMetadata().getName())
                .getSpec()
                .getPayload()
                .get("orderId")
                .asInt())
        .isEqualTo(666);
    List<WebhookDelivery> own =
        client.resources(WebhookDelivery.class).inNamespace(ns).list().getItems().stream()
            .filter(
                d ->
                    d.getMetadata().getOwnerReferences() != null
                        && !d.getMetadata().getOwnerReferences().isEmpty())
            .toList();
    assertThat(own)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getMetadata().getName())
                  .isNotEqualTo(forged.getMetadata().getName())
                  .startsWith("billing-");
              assertThat(d.getMetadata().getOwnerReferences().get(0).getUid())
                  .isEqualTo(published.getMetadata().getUid());
              assertThat(d.getSpec().getDeliveryId()).isEqualTo("evt_1001");
            });
    awaitPhase(own.get(0).getMetadata().getName(), DeliveryPhase.Succeeded);
    assertThat(receiver.receivedOn("/billing")).hasSize(2);
  }

  /**
   * The same eventId with another payload is not the same event: reported, and delivered all the
   * same.
   */
  @Test
  void aReusedEventIdWithAnotherPayloadIsAConflictNotASilentDrop() {
    create(subscribed("billing", "/billing", List.of("order.*")));
    awaitEndpointsReady("billing");
    create(event("order-1001", "evt_1001"));
    awaitFannedOut("order-1001");
    await().atMost(WAIT).until(() -> receiver.received().size() == 1);

    WebhookEvent changed = event("order-1001-changed", "evt_1001");
    changed.getSpec().getPayload().put("orderId", 1002);
    create(changed);
    WebhookEvent published = awaitFannedOut("order-1001-changed");
    assertThat(published.getStatus().getConditions().get(0).getReason()).isEqualTo("Conflict");
    assertThat(published.getStatus().getConditions().get(0).getMessage())
        .contains("its payload differs");
    await()
        .atMost(WAIT)
        .until(
            () ->
                receiver.received().stream()
                    .anyMatch(r -> r.bodyText().equals("{\"orderId\":1002}")));
  }

  /**
   * Names keep the first 242 characters of the endpoint's name: two endpoints sharing them must
   * both receive.
   */
  @Test
  void endpointsWhoseLongNamesShareAPrefixBothReceive() {
    String common = "e".repeat(242);
    create(subscribed(common + "a", "/a", List.of()));
    create(subscribed(common + "b", "/b", List.of()));
    awaitEndpointsReady(common + "a", common + "b");
    create(event("order-1001", "evt_1001"));
    await()
        .atMost(WAIT)
        .until(
            () -> receiver.receivedOn("/a").size() == 1 && receiver.receivedOn("/b").size() == 1);
    assertThat(awaitFannedOut("order-1001").getStatus().getConditions().get(0).getMessage())
        .contains("is for another endpoint");
  }

  @Test
  void anEventWithoutSubscribersSaysSo() {
    create(subscribed("invoices", "/invoices", List.of("invoice.*")));
    awaitEndpointsReady("invoices"); // else NoSubscribers would hold for another reason
    create(event("lonely", null));
    WebhookEvent e = awaitFannedOut("lonely");
    assertThat(e.getStatus().getDeliveries()).isZero();
    assertThat(e.getStatus().getConditions().get(0).getReason()).isEqualTo("NoSubscribers");
  }

  /** What anyone can compute: the fan-out's name for an event id and an endpoint. */
  private String computedName(String eventId, String endpoint) {
    return endpoint + "-" + HexFormat.of().formatHex(Hashes.sha256(ns + "/" + eventId), 0, 5);
  }

  private WebhookEndpoint subscribed(String name, String path, List<String> types) {
    WebhookEndpoint e = endpoint(ns, name, receiver.url(path), "1s");
    e.getSpec().setEventTypes(types);
    HistorySpec history = new HistorySpec();
    history.setRecordSuccesses(true);
    e.getSpec().setHistory(history);
    return e;
  }

  private WebhookEvent event(String name, String eventId) {
    WebhookEvent event = new WebhookEvent();
    event.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    WebhookEventSpec spec = new WebhookEventSpec();
    spec.setEventType("order.created");
    spec.setEventId(eventId);
    spec.setPayload(delivery(ns, "unused", "x", "{\"orderId\": 1001}").getSpec().getPayload());
    event.setSpec(spec);
    return event;
  }

  private WebhookEvent awaitFannedOut(String name) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              WebhookEvent e =
                  client.resources(WebhookEvent.class).inNamespace(ns).withName(name).get();
              return e != null && e.getStatus() != null && e.getStatus().getFanOutTime() != null;
            });
    return client.resources(WebhookEvent.class).inNamespace(ns).withName(name).get();
  }
}
