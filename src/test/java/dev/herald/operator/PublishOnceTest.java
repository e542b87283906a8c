package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointOutcome;
import dev.herald.api.v1alpha1.EndpointSelector;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.HistorySpec;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.api.v1alpha1.WebhookEventSpec;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The fast path: an event makes the first attempt to each Ready endpoint itself; a WebhookDelivery
 * exists only where that attempt failed (carrying it as attempt 1) or where the endpoint's rules
 * call for one.
 */
@EnableKubernetesMockClient(crud = true)
class PublishOnceTest extends OperatorTestBase {

  @Test
  void anEventToEndpointsThatAnswer2xxCreatesNoDeliveryAndSaysWhereItArrived() {
    ready("a", "/a", e -> {});
    ready("b", "/b", e -> {});
    ready("c", "/c", e -> {});
    create(event("order-1", "evt_1", s -> {}));
    WebhookEvent published = awaitPublished("order-1");

    assertThat(receiver.received()).hasSize(3);
    assertThat(receiver.received())
        .allSatisfy(
            r -> {
              assertThat(r.header("webhook-id")).isEqualTo("evt_1");
              assertThat(r.header("webhook-signature")).startsWith("v1,");
              assertThat(r.bodyText()).isEqualTo("{\"orderId\":1}");
            });
    assertThat(client.resources(WebhookDelivery.class).inNamespace(ns).list().getItems()).isEmpty();
    var status = published.getStatus();
    assertThat(status.getDeliveries()).isEqualTo(3);
    assertThat(status.getEndpoints()).containsExactly("a", "b", "c");
    assertThat(status.getSucceeded()).isEqualTo(3);
    assertThat(status.getFailed()).isZero();
    assertThat(status.getPending()).isZero();
    assertThat(status.getOutcomesOmitted()).isZero();
    assertThat(status.getOutcomes())
        .extracting(EndpointOutcome::getEndpoint, EndpointOutcome::getPhase, o -> o.getStatusCode())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", DeliveryPhase.Succeeded, 200),
            org.assertj.core.groups.Tuple.tuple("b", DeliveryPhase.Succeeded, 200),
            org.assertj.core.groups.Tuple.tuple("c", DeliveryPhase.Succeeded, 200));
    assertThat(status.getConditions().get(0).getReason()).isEqualTo("Published");
    assertThat(herald.operator().metrics().scrape())
        .contains("herald_delivery_attempts_total{endpoint=\"a\"");
  }

  /** The same request as a delivery's: the header names a receiver sees are the same. */
  @Test
  void theFirstAttemptIsTheRequestADeliveryWouldSend() {
    ready("a", "/a", e -> {});
    create(event("order-1", "evt_1", s -> {}));
    awaitPublished("order-1");
    var delivery = delivery(ns, "by-hand", "a", "{\"orderId\": 1}");
    delivery.getSpec().setDeliveryId("evt_2");
    create(delivery);
    await().atMost(WAIT).until(() -> receiver.received().size() == 2);
    var fast = receiver.received().get(0);
    var slow = receiver.received().get(1);
    assertThat(fast.headers().names()).containsExactlyInAnyOrderElementsOf(slow.headers().names());
    assertThat(fast.header("webhook-signature")).isNotEqualTo(slow.header("webhook-signature"));
    assertThat(fast.bodyText()).isEqualTo(slow.bodyText());
  }

  @Test
  void aFailedFirstAttemptBecomesADeliveryThatCarriesOnFromAttemptTwo() {
    receiver.thenRespond(Response.of(500), Response.of(200));
    ready("a", "/a", e -> {});
    create(event("order-1", "evt_1", s -> {}));
    WebhookEvent published = awaitPublished("order-1");

    EndpointOutcome outcome = published.getStatus().getOutcomes().get(0);
    assertThat(outcome.getPhase()).isEqualTo(DeliveryPhase.Failed);
    assertThat(outcome.getStatusCode()).isEqualTo(500);
    assertThat(outcome.getErrorClass()).isEqualTo(ErrorClass.Http5xx);
    assertThat(outcome.getAttempts()).isEqualTo(1);
    assertThat(published.getStatus().getFailed()).isEqualTo(1);
    String name = outcome.getDelivery();
    assertThat(name).isNotNull();

    WebhookDelivery d = herald.delivery(ns, name);
    assertThat(d.getSpec().getDeliveryId()).isEqualTo("evt_1");
    assertThat(d.getMetadata().getLabels()).containsEntry(Herald.LABEL_EVENT, "order-1");
    // the delivery was created with attempt 1 in its status before the event's status was written
    assertThat(d.getStatus().getAttempts()).isGreaterThanOrEqualTo(1);
    assertThat(d.getStatus().getAttemptLog().get(0).getStatusCode()).isEqualTo(500);

    WebhookDelivery done = awaitPhase(name, DeliveryPhase.Succeeded);
    assertThat(done.getStatus().getAttempts()).isEqualTo(2);
    assertThat(done.getStatus().getAttemptLog())
        .extracting(a -> a.getStatusCode())
        .containsExactly(500, 200);
    assertThat(receiver.received())
        .as("attempt 1 by the event, attempt 2 by the delivery: none repeated")
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.header("webhook-id")).isEqualTo("evt_1"));
  }

  @Test
  void endpointsThatAskForARecordOrArePausedOrFifoGetADelivery() {
    ready("fast", "/fast", e -> {});
    ready(
        "recorded",
        "/recorded",
        e -> {
          HistorySpec history = new HistorySpec();
          history.setRecordSuccesses(true);
          e.getSpec().setHistory(history);
        });
    ready("fifo", "/fifo", e -> e.getSpec().setOrdering("fifo"));
    ready("paused", "/paused", e -> {});
    editEndpoint(
        "paused",
        e -> {
          e.getSpec().setPaused(true);
          return e;
        });
    await().atMost(WAIT).until(() -> "Paused".equals(readyReason(herald.endpoint(ns, "paused"))));
    create(event("order-1", "evt_1", s -> {}));
    WebhookEvent published = awaitPublished("order-1");

    Map<String, EndpointOutcome> byEndpoint =
        published.getStatus().getOutcomes().stream()
            .collect(java.util.stream.Collectors.toMap(EndpointOutcome::getEndpoint, o -> o));
    assertThat(byEndpoint.get("fast").getPhase()).isEqualTo(DeliveryPhase.Succeeded);
    assertThat(byEndpoint.get("fast").getDelivery()).isNull();
    for (String slow : List.of("recorded", "fifo", "paused")) {
      assertThat(byEndpoint.get(slow).getPhase()).as(slow).isEqualTo(DeliveryPhase.Pending);
      assertThat(byEndpoint.get(slow).getAttempts()).as(slow).isZero();
      assertThat(byEndpoint.get(slow).getDelivery()).as(slow).isNotNull();
    }
    assertThat(published.getStatus().getPending()).isEqualTo(3);
    WebhookDelivery recorded =
        awaitPhase(byEndpoint.get("recorded").getDelivery(), DeliveryPhase.Succeeded);
    assertThat(recorded.getStatus().getAttempts()).isEqualTo(1);
    awaitPhase(byEndpoint.get("fifo").getDelivery(), DeliveryPhase.Succeeded);
    assertThat(herald.delivery(ns, byEndpoint.get("paused").getDelivery()).getStatus().getPhase())
        .isEqualTo(DeliveryPhase.Pending);
    assertThat(receiver.receivedOn("/paused")).isEmpty();
  }

  /**
   * As after a crash between a delivery's creation and the event's status write: the endpoint that
   * already has this event's delivery is left to it (sent once, by the delivery), the other one is
   * sent the first attempt by the event.
   */
  @Test
  void anEndpointThatAlreadyHasThisEventsDeliveryIsNotSentToAgainByTheEvent() {
    ready("had", "/had", e -> {});
    ready("fresh", "/fresh", e -> {});
    herald.close();
    WebhookEvent event = create(event("order-1", "evt_1", s -> {}));
    WebhookDelivery earlier = delivery(ns, "had-earlier", "had", "{\"orderId\": 1}");
    earlier.getSpec().setDeliveryId("evt_1");
    earlier
        .getMetadata()
        .setLabels(Map.of(Herald.LABEL_EVENT, "order-1", Herald.LABEL_ENDPOINT, "had"));
    earlier
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                    .withApiVersion(event.getApiVersion())
                    .withKind(event.getKind())
                    .withName("order-1")
                    .withUid(event.getMetadata().getUid())
                    .build()));
    create(earlier);
    herald = new OperatorHarness(client).start();

    WebhookEvent published = awaitPublished("order-1");
    awaitPhase("had-earlier", DeliveryPhase.Succeeded);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> receiver.received().size() == 2);
    assertThat(receiver.receivedOn("/had")).hasSize(1);
    assertThat(receiver.receivedOn("/fresh")).hasSize(1);
    assertThat(published.getStatus().getOutcomes())
        .filteredOn(o -> o.getEndpoint().equals("had"))
        .singleElement()
        .satisfies(o -> assertThat(o.getDelivery()).isEqualTo("had-earlier"));
  }

  /**
   * An event that arrives while the operator runs was created after any process before it had
   * stopped, so no earlier try can have made deliveries of it: nothing is listed to find them (a
   * list of the namespace's deliveries per event, before).
   */
  @Test
  void anEventThatArrivesWhileTheOperatorRunsIsNotSearchedForAnEarlierTrysDeliveries()
      throws InterruptedException {
    ready("a", "/a", e -> {});
    ready("b", "/b", e -> {});
    create(event("warm-up", "evt_w", s -> {}));
    awaitPublished("warm-up");
    while (server.takeRequest(100, TimeUnit.MILLISECONDS) != null) {
      // what came before the events counted
    }

    int events = 10;
    for (int i = 0; i < events; i++) {
      create(event("order-" + i, "evt_" + i, s -> {}));
    }
    for (int i = 0; i < events; i++) {
      awaitPublished("order-" + i);
    }

    assertThat(receiver.received()).hasSize(2 * (events + 1));
    int searches = 0;
    for (var r = server.takeRequest(100, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
      String path = URLDecoder.decode(r.getPath(), StandardCharsets.UTF_8);
      if ("GET".equals(r.getMethod())
          && path.contains("/webhookdeliveries?")
          && path.contains(Herald.LABEL_EVENT + "=")) {
        searches++;
      }
    }
    assertThat(searches).isZero();
  }

  /** Named and selected endpoints receive (either suffices); each must still subscribe. */
  @Test
  void anEventNamingOrSelectingEndpointsReachesOnlyThose() {
    ready("named", "/named", e -> {});
    ready("selected", "/selected", e -> e.getMetadata().setLabels(Map.of("customer", "acme")));
    ready("other", "/other", e -> e.getMetadata().setLabels(Map.of("customer", "initech")));
    ready("unsubscribed", "/unsubscribed", e -> e.getSpec().setEventTypes(List.of("invoice.*")));
    create(
        event(
            "order-1",
            "evt_1",
            s -> {
              s.setEndpoints(List.of("named", "unsubscribed", "missing"));
              EndpointSelector selector = new EndpointSelector();
              selector.setMatchLabels(Map.of("customer", "acme"));
              s.setEndpointSelector(selector);
            }));
    WebhookEvent published = awaitPublished("order-1");
    assertThat(published.getStatus().getEndpoints()).containsExactly("named", "selected");
    assertThat(receiver.receivedOn("/named")).hasSize(1);
    assertThat(receiver.receivedOn("/selected")).hasSize(1);
    assertThat(receiver.receivedOn("/other")).isEmpty();
    assertThat(receiver.receivedOn("/unsubscribed")).isEmpty();
    assertThat(published.getStatus().getConditions().get(0).getMessage())
        .contains("unsubscribed does not subscribe to order.created", "missing not found");
  }

  /**
   * Events take slots from the deliveries' accounting: with 2 per endpoint, events to a hanging
   * endpoint hold at most 2 requests; the rest wait as deliveries, and a healthy endpoint is served
   * meanwhile.
   */
  @Test
  void eventsToAHangingEndpointTakeNoMoreSlotsThanDeliveries() {
    herald.close();
    CountDownLatch release = new CountDownLatch(1);
    try (TestReceiver hanging = new TestReceiver().holdUntil(release)) {
      herald =
          new OperatorHarness(client)
              .start(
                  OperatorHarness.testConfig().toBuilder()
                      .maxInFlight(4)
                      .maxInFlightPerEndpoint(2)
                      .build());
      WebhookEndpoint slow = endpoint(ns, "slow", hanging.url("/hook"), "1s");
      slow.getSpec().setTimeout("30s");
      slow.getSpec().setEventTypes(List.of("slow.*"));
      create(slow);
      awaitEndpointsReady("slow");
      ready("quick", "/quick", e -> e.getSpec().setEventTypes(List.of("quick.*")));
      for (int i = 0; i < 6; i++) {
        create(event("slow-" + i, "evt_slow_" + i, s -> s.setEventType("slow.thing")));
      }
      await().atMost(WAIT).until(() -> hanging.received().size() == 2);
      for (int i = 0; i < 3; i++) {
        create(event("quick-" + i, "evt_quick_" + i, s -> s.setEventType("quick.thing")));
      }
      for (int i = 0; i < 3; i++) {
        String name = "quick-" + i;
        await().atMost(Duration.ofSeconds(15)).until(() -> published(name) != null);
      }
      assertThat(receiver.receivedOn("/quick")).hasSize(3);
      assertThat(hanging.maxInFlight()).as("requests open to the hanging endpoint").isEqualTo(2);

      release.countDown();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  hanging.received().stream().map(r -> r.header("webhook-id")).distinct().count()
                      == 6);
      assertThat(hanging.maxInFlight()).isLessThanOrEqualTo(2);
    }
  }

  /**
   * A burst of events to one endpoint beyond its in-flight limit waits for slots in the line the
   * deliveries share, and the events still make the first attempts: a burst does not turn into a
   * delivery per event.
   */
  @Test
  void aBurstBeyondTheEndpointsSlotsWaitsForThemInsteadOfBecomingDeliveries() {
    herald.close();
    CountDownLatch release = new CountDownLatch(1);
    try (TestReceiver held = new TestReceiver().holdUntil(release)) {
      herald =
          new OperatorHarness(client)
              .start(OperatorHarness.testConfig().toBuilder().maxInFlightPerEndpoint(1).build());
      create(endpoint(ns, "one-slot", held.url("/hook"), "1s"));
      awaitEndpointsReady("one-slot");
      for (int i = 0; i < 6; i++) {
        create(event("burst-" + i, "evt_burst_" + i, s -> {}));
      }
      await().atMost(WAIT).until(() -> held.received().size() == 1);
      // the other five found no slot; a second later (well within SLOT_WAIT) the slot frees
      sleep(Duration.ofSeconds(1));
      release.countDown();
      for (int i = 0; i < 6; i++) {
        String name = "burst-" + i;
        await().atMost(WAIT).until(() -> published(name) != null);
        assertThat(published(name).getStatus().getSucceeded()).as(name).isEqualTo(1);
      }
      assertThat(client.resources(WebhookDelivery.class).inNamespace(ns).list().getItems())
          .isEmpty();
      assertThat(held.received()).hasSize(6);
      assertThat(held.maxInFlight()).isEqualTo(1);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void ready(String name, String path, Consumer<WebhookEndpoint> change) {
    WebhookEndpoint e = endpoint(ns, name, receiver.url(path), "1s");
    change.accept(e);
    create(e);
    awaitEndpointsReady(name);
  }

  private WebhookEvent event(String name, String eventId, Consumer<WebhookEventSpec> change) {
    WebhookEvent event = new WebhookEvent();
    event.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    WebhookEventSpec spec = new WebhookEventSpec();
    spec.setEventType("order.created");
    spec.setEventId(eventId);
    spec.setPayload(delivery(ns, "unused", "x", "{\"orderId\": 1}").getSpec().getPayload());
    change.accept(spec);
    event.setSpec(spec);
    return event;
  }

  private WebhookEvent published(String name) {
    WebhookEvent e = client.resources(WebhookEvent.class).inNamespace(ns).withName(name).get();
    return e != null && e.getStatus() != null && e.getStatus().getFanOutTime() != null ? e : null;
  }

  private WebhookEvent awaitPublished(String name) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> published(name) != null);
    return published(name);
  }
}
