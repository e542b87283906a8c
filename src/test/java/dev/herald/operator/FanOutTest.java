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
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Publish once, deliver to every subscriber: a WebhookEvent fans out to matching endpoints. */
@EnableKubernetesMockClient(crud = true)
class FanOutTest extends OperatorTestBase {

  @Test
  void anEventReachesEverySubscribedEndpointOnceEvenIfPublishedTwice() {
    create(subscribed("billing", "/billing", List.of("order.*")));
    create(subscribed("crm", "/crm", List.of()));                 // every type
    create(subscribed("invoices", "/invoices", List.of("invoice.*"))); // not this one

    create(event("order-1001", "evt_1001"));
    await().atMost(WAIT).until(() -> receiver.received().size() == 2);
    WebhookEvent published = awaitFannedOut("order-1001");
    assertThat(published.getStatus().getDeliveries()).isEqualTo(2);
    assertThat(published.getStatus().getEndpoints()).containsExactly("billing", "crm");

    List<WebhookDelivery> deliveries = client.resources(WebhookDelivery.class).inNamespace(ns)
        .withLabel(Herald.LABEL_EVENT, "order-1001").list().getItems();
    assertThat(deliveries).hasSize(2).allSatisfy(d -> {
      assertThat(d.getSpec().getDeliveryId()).isEqualTo("evt_1001");
      assertThat(d.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(published.getMetadata().getUid()));
    });
    for (WebhookDelivery d : deliveries) {
      awaitPhase(d.getMetadata().getName(), DeliveryPhase.Succeeded);
    }
    assertThat(receiver.receivedOn("/invoices")).isEmpty();
    assertThat(receiver.received()).allSatisfy(r -> {
      assertThat(r.header("webhook-id")).isEqualTo("evt_1001");
      assertThat(r.bodyText()).isEqualTo("{\"orderId\":1001}");
    });

    // the producer retries its publication: same event id, no new deliveries, nothing sent again
    create(event("order-1001-retry", "evt_1001"));
    WebhookEvent retry = awaitFannedOut("order-1001-retry");
    assertThat(retry.getStatus().getConditions().get(0).getMessage()).contains("existed already");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> receiver.received().size() == 2);
    assertThat(client.resources(WebhookDelivery.class).inNamespace(ns).list().getItems()).hasSize(2);
  }

  @Test
  void anEventWithoutSubscribersSaysSo() {
    create(subscribed("invoices", "/invoices", List.of("invoice.*")));
    create(event("lonely", null));
    WebhookEvent e = awaitFannedOut("lonely");
    assertThat(e.getStatus().getDeliveries()).isZero();
    assertThat(e.getStatus().getConditions().get(0).getReason()).isEqualTo("NoSubscribers");
  }

  private WebhookEndpoint subscribed(String name, String path, List<String> types) {
    WebhookEndpoint e = endpoint(ns, name, receiver.url(path), "1s");
    e.getSpec().setEventTypes(types);
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
    await().atMost(WAIT).until(() -> {
      WebhookEvent e = client.resources(WebhookEvent.class).inNamespace(ns).withName(name).get();
      return e != null && e.getStatus() != null && e.getStatus().getFanOutTime() != null;
    });
    return client.resources(WebhookEvent.class).inNamespace(ns).withName(name).get();
  }
}
