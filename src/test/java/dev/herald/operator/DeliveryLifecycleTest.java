package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.AttemptRecord;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.delivery.DeliveryStatuses;
import dev.herald.kube.Times;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.Resources;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A running operator against fabric8's mock API server (CRUD mode) and a real local receiver. */
@EnableKubernetesMockClient(crud = true)
class DeliveryLifecycleTest extends OperatorTestBase {

  @Test
  void failedAttemptsAreRetriedOnScheduleAndRecordedUntilSuccess() {
    String longBody = "x".repeat(800);
    receiver.thenRespond(
        Response.of(500, longBody),
        new Response(302, "moved", java.util.Map.of("Location", receiver.url("/elsewhere"))));
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s", "1s"));
    create(delivery(ns, "order-1", "billing", "{\"id\": 1, \"greetings\": \"Hello World\"}"));

    WebhookDelivery done = awaitPhase("order-1", DeliveryPhase.Succeeded);
    WebhookDeliveryStatus status = done.getStatus();
    assertThat(status.getAttempts()).isEqualTo(3);
    assertThat(status.getMaxAttempts()).isEqualTo(3);
    assertThat(status.getLastStatusCode()).isEqualTo(200);
    assertThat(status.getLastError()).isNull();
    assertThat(status.getNextAttemptTime()).isNull();
    assertThat(status.getCompletionTime()).isNotNull();
    assertThat(status.getEndpointUid())
        .isEqualTo(herald.endpoint(ns, "billing").getMetadata().getUid());

    List<AttemptRecord> log = status.getAttemptLog();
    assertThat(log).extracting(AttemptRecord::getAttempt).containsExactly(1, 2, 3);
    assertThat(log).extracting(AttemptRecord::getStatusCode).containsExactly(500, 302, 200);
    assertThat(log)
        .extracting(AttemptRecord::getErrorClass)
        .containsExactly(ErrorClass.Http5xx, ErrorClass.Redirect, null);
    assertThat(log)
        .allSatisfy(
            r -> {
              assertThat(r.getUrl()).isEqualTo(receiver.url("/hook"));
              assertThat(r.getDurationMs()).isNotNull().isGreaterThanOrEqualTo(0);
              assertThat(r.getTime()).isNotNull();
            });
    // the first 500 bytes of the body were kept while it was the newest record; now older, a hint
    assertThat(log.get(0).getResponseExcerpt())
        .isEqualTo("x".repeat(DeliveryStatuses.OLDER_EXCERPT - 3) + "...");

    // the redirect was never followed, and retries waited for their delays
    assertThat(receiver.receivedOn("/elsewhere")).isEmpty();
    var times = receiver.receivedOn("/hook").stream().map(TestReceiver.Received::at).toList();
    assertThat(times).hasSize(3);
    assertThat(Duration.between(times.get(0), times.get(1)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
    assertThat(Duration.between(times.get(1), times.get(2)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(550));

    // the label follows the status write (never ahead of it)
    await()
        .atMost(WAIT)
        .until(
            () ->
                "Succeeded"
                    .equals(
                        herald
                            .delivery(ns, "order-1")
                            .getMetadata()
                            .getLabels()
                            .get(Herald.LABEL_PHASE)));
    assertThat(herald.delivery(ns, "order-1").getMetadata().getLabels())
        .containsEntry(Herald.LABEL_ENDPOINT, "billing");
    assertThat(status.getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("Delivered");
            });
    assertThat(status.getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
  }

  @Test
  void requestCarriesPayloadWebhookIdAndEventType() {
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s"));
    WebhookDelivery d = delivery(ns, "order-2", "billing", "{\"greetings\": \"Hello World\"}");
    d.getSpec().setDeliveryId("msg_2fixed");
    create(d);
    awaitPhase("order-2", DeliveryPhase.Succeeded);
    TestReceiver.Received r = receiver.received().get(0);
    assertThat(r.bodyText()).isEqualTo("{\"greetings\":\"Hello World\"}");
    assertThat(r.header("webhook-id")).isEqualTo("msg_2fixed");
    assertThat(r.header("webhook-event-type")).isEqualTo("order.created");
    assertThat(r.header("content-type")).startsWith("application/json");
    assertThat(Long.parseLong(r.header("webhook-timestamp")))
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
  }

  @Test
  void goneExhaustsAtOnceAndThePhaseLabelFilters() {
    receiver.always(Response.of(410, "gone for good"));
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s", "1s", "1s"));
    create(delivery(ns, "gone-1", "billing", "{}"));
    create(delivery(ns, "gone-2", "billing", "{}"));
    WebhookDelivery d = awaitPhase("gone-1", DeliveryPhase.Exhausted);
    awaitPhase("gone-2", DeliveryPhase.Exhausted);
    assertThat(d.getStatus().getAttempts()).isEqualTo(1);
    assertThat(d.getStatus().getLastError().getErrorClass()).isEqualTo(ErrorClass.Gone);
    assertThat(d.getStatus().getNextAttemptTime()).isNull();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(WebhookDelivery.class)
                            .inNamespace(ns)
                            .withLabel(Herald.LABEL_PHASE, "Exhausted")
                            .list()
                            .getItems())
                    .extracting(x -> x.getMetadata().getName())
                    .containsExactlyInAnyOrder("gone-1", "gone-2"));
    assertThat(herald.events(ns, "gone-1"))
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Exhausted"));
  }

  @Test
  void exhaustsWhenTheScheduleRunsOut() {
    receiver.always(Response.of(503, "down"));
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s x2"));
    WebhookDelivery d = create(delivery(ns, "down-1", "billing", "{}"));
    d = awaitPhase("down-1", DeliveryPhase.Exhausted);
    assertThat(d.getStatus().getAttempts()).isEqualTo(3);
    assertThat(d.getStatus().getLastStatusCode()).isEqualTo(503);
    assertThat(d.getStatus().getLastError().getErrorClass()).isEqualTo(ErrorClass.Http5xx);
    assertThat(receiver.received()).hasSize(3);
  }

  @Test
  void retriesSurviveAnOperatorRestartAtTheirRecordedTime() {
    receiver.thenRespond(Response.of(500));
    create(endpoint(ns, "billing", receiver.url("/hook"), "3s"));
    create(delivery(ns, "restart-1", "billing", "{}"));
    WebhookDelivery failed = awaitPhase("restart-1", DeliveryPhase.Failed);
    Instant next = Times.parse(failed.getStatus().getNextAttemptTime());
    assertThat(next).isAfter(Instant.now());

    herald.stop(); // the in-memory timer is gone with this process
    herald = new OperatorHarness(client).start();

    awaitPhase("restart-1", DeliveryPhase.Succeeded);
    assertThat(receiver.received()).hasSize(2);
    assertThat(receiver.received().get(1).at()).isAfterOrEqualTo(next.minusMillis(5));
  }

  @Test
  void endpointTurnsFailingThenActiveAgain() {
    receiver.thenRespond(Response.of(500), Response.of(500));
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s", "1s"));
    create(delivery(ns, "health-1", "billing", "{}"));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var e = herald.endpoint(ns, "billing");
              return e.getStatus() != null
                  && Long.valueOf(2).equals(e.getStatus().getConsecutiveFailures());
            });
    WebhookEndpoint failing = herald.endpoint(ns, "billing");
    assertThat(failing.getStatus().getPhase()).isEqualTo(EndpointPhase.Failing);
    assertThat(failing.getStatus().getLastFailureTime()).isNotNull();
    assertThat(failing.getStatus().getLastError().getErrorClass()).isEqualTo(ErrorClass.Http5xx);

    awaitPhase("health-1", DeliveryPhase.Succeeded);
    await()
        .atMost(WAIT)
        .until(() -> herald.endpoint(ns, "billing").getStatus().getPhase() == EndpointPhase.Active);
    WebhookEndpoint active = herald.endpoint(ns, "billing");
    assertThat(active.getStatus().getConsecutiveFailures()).isZero();
    assertThat(active.getStatus().getLastSuccessTime()).isNotNull();
    assertThat(herald.events(ns, "billing"))
        .extracting(e -> e.getReason())
        .containsOnlyOnce("Failing")
        .containsOnlyOnce("Recovered");
  }

  @Test
  void pausedEndpointHoldsDeliveriesAsPendingAndLosesNone() {
    WebhookEndpoint e = endpoint(ns, "billing", receiver.url("/hook"), "1s");
    e.getSpec().setPaused(true);
    create(e);
    for (int i = 0; i < 3; i++) {
      create(delivery(ns, "held-" + i, "billing", "{\"n\": " + i + "}"));
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                herald.endpoint(ns, "billing").getStatus() != null
                    && herald.endpoint(ns, "billing").getStatus().getPhase()
                        == EndpointPhase.Paused);
    for (int i = 0; i < 3; i++) {
      String name = "held-" + i;
      awaitDeliveryReason(name, "EndpointPaused");
      assertThat(herald.delivery(ns, name).getStatus().getPhase()).isEqualTo(DeliveryPhase.Pending);
    }
    assertThat(receiver.received()).isEmpty();

    Resources.editRetrying(
        client.resources(WebhookEndpoint.class).inNamespace(ns).withName("billing"),
        x -> {
          x.getSpec().setPaused(false);
          return x;
        });
    for (int i = 0; i < 3; i++) {
      awaitPhase("held-" + i, DeliveryPhase.Succeeded);
    }
    assertThat(receiver.received()).hasSize(3);
  }

  @Test
  void anEditedUrlIsUsedByTheNextAttempt() {
    receiver.thenRespond(Response.of(404, "moved away"));
    // a retry 8 s later: time enough under load for the health write and the edit to come first
    create(endpoint(ns, "billing", receiver.url("/old"), "8s"));
    create(delivery(ns, "moved-1", "billing", "{}"));
    awaitPhase("moved-1", DeliveryPhase.Failed);
    // the endpoint's health is written after the delivery's status; edit after it, not against it
    await()
        .atMost(WAIT)
        .until(
            () -> herald.endpoint(ns, "billing").getStatus().getPhase() == EndpointPhase.Failing);
    Resources.editRetrying(
        client.resources(WebhookEndpoint.class).inNamespace(ns).withName("billing"),
        x -> {
          x.getSpec().setUrl(receiver.url("/new"));
          return x;
        });
    WebhookDelivery d = awaitPhase("moved-1", DeliveryPhase.Succeeded);
    assertThat(receiver.receivedOn("/old")).hasSize(1);
    assertThat(receiver.receivedOn("/new")).hasSize(1);
    assertThat(d.getStatus().getAttemptLog())
        .extracting(AttemptRecord::getUrl)
        .containsExactly(receiver.url("/old"), receiver.url("/new"));
  }
}
