package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.RetrySpec;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.endpoint.EndpointSettings;
import dev.herald.http.AttemptResult;
import dev.herald.kube.KubeJson;
import dev.herald.retry.DeliveryStateMachine;
import dev.herald.signing.SigningKey;
import dev.herald.testing.Resources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An event's first attempt is recorded exactly as the delivery reconciler would record it. */
class FirstAttemptsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final AttemptResult HTTP_500 =
      new AttemptResult(
          "https://hooks.example.com/in", 500, ErrorClass.Http5xx, "HTTP 500", "oops", 40, null);

  private static WebhookEndpoint endpoint(String... schedule) {
    WebhookEndpoint e = Resources.endpoint("ns", "ep", "https://hooks.example.com/in", schedule);
    e.getMetadata().setUid("ep-uid");
    return e;
  }

  private static WebhookDelivery delivery() {
    WebhookDelivery d = Resources.delivery("ns", "d1", "ep", "{\"a\": 1}");
    d.getMetadata().setUid("d1-uid");
    d.getMetadata().setGeneration(1L);
    d.getSpec().setDeliveryId("evt_1");
    return d;
  }

  /** What the delivery reconciler writes after sending attempt 1 itself. */
  private static WebhookDeliveryStatus asTheDeliveryRecordsIt(
      WebhookEndpoint endpoint, AttemptResult result, Instant started, Instant finished) {
    WebhookDelivery d = delivery();
    DeliveryDecision decision = DeliveryDecision.decide(d, endpoint, Optional.empty(), started);
    DeliveryDecision.Send send = (DeliveryDecision.Send) decision.action();
    var after =
        DeliveryStateMachine.afterAttempt(
            // the webhook-id the delivery is sent as: its spec.deliveryId, the event's id
            d.getSpec().getDeliveryId(),
            send.before(),
            DeliveryStatuses.outcomeOf(result),
            send.settings().retryPolicy(),
            started,
            finished);
    return DeliveryStatuses.afterAttempt(
        decision.status(), after, result, started, finished, 1L, DeliveryStatuses.Size.FULL, null);
  }

  @Test
  void aFailedFirstAttemptIsTheStatusTheDeliveryWouldHaveWritten() throws Exception {
    WebhookEndpoint endpoint = endpoint("1m", "5m");
    Instant finished = T0.plusMillis(40);
    WebhookDeliveryStatus status =
        FirstAttempts.status(
            "evt_1", endpoint, EndpointSettings.of(endpoint.getSpec()), HTTP_500, T0, finished, 1L);
    assertThat(KubeJson.serialization().asJson(status))
        .isEqualTo(
            KubeJson.serialization()
                .asJson(asTheDeliveryRecordsIt(endpoint, HTTP_500, T0, finished)));
    assertThat(status.getPhase()).isEqualTo(DeliveryPhase.Failed);
    assertThat(status.getAttempts()).isEqualTo(1);
    assertThat(status.getNextAttemptTime()).isEqualTo("2026-01-01T00:01:00.040Z");
    assertThat(status.getLastError().getErrorClass()).isEqualTo(ErrorClass.Http5xx);
    assertThat(status.getEndpointUid()).isEqualTo("ep-uid");
    assertThat(FirstAttempts.labels(delivery(), status))
        .containsEntry(Herald.LABEL_PHASE, "Failed");
  }

  @Test
  void aFirstAttemptsRetryIsSpreadAndSlowedAsTheDeliverysWouldBe() throws Exception {
    WebhookEndpoint endpoint = endpoint("1m", "5m");
    RetrySpec retry = endpoint.getSpec().getRetry();
    retry.setJitter("50%");
    retry.setOverloadMinDelay("90s");
    AttemptResult timeout =
        new AttemptResult(
            "https://hooks.example.com/in", null, ErrorClass.Timeout, "timed out", null, 40, null);
    Instant finished = T0.plusMillis(40);
    for (AttemptResult result : List.of(HTTP_500, timeout)) {
      WebhookDeliveryStatus status =
          FirstAttempts.status(
              "evt_1", endpoint, EndpointSettings.of(endpoint.getSpec()), result, T0, finished, 1L);
      assertThat(status.getNextAttemptTime())
          .isEqualTo(asTheDeliveryRecordsIt(endpoint, result, T0, finished).getNextAttemptTime());
    }
    WebhookDeliveryStatus spread =
        FirstAttempts.status(
            "evt_1", endpoint, EndpointSettings.of(endpoint.getSpec()), HTTP_500, T0, finished, 1L);
    assertThat(spread.getNextAttemptTime())
        .as("jittered, within 30s..90s of the end")
        .isNotEqualTo("2026-01-01T00:01:00.040Z")
        .isBetween("2026-01-01T00:00:30.040Z", "2026-01-01T00:01:30.040Z");
    WebhookDeliveryStatus slowed =
        FirstAttempts.status(
            "evt_1", endpoint, EndpointSettings.of(endpoint.getSpec()), timeout, T0, finished, 1L);
    assertThat(slowed.getNextAttemptTime())
        .as("a timeout waits the overload minimum, whatever the jitter")
        .isGreaterThanOrEqualTo("2026-01-01T00:01:30.040Z");
  }

  @Test
  void aGoneAtTheFirstAttemptEndsExhausted() throws Exception {
    WebhookEndpoint endpoint = endpoint("1m");
    AttemptResult gone =
        new AttemptResult(
            "https://hooks.example.com/in", 410, ErrorClass.Gone, "HTTP 410", null, 5, null);
    WebhookDeliveryStatus status =
        FirstAttempts.status(
            "evt_1",
            endpoint,
            EndpointSettings.of(endpoint.getSpec()),
            gone,
            T0,
            T0.plusMillis(40),
            1L);
    assertThat(FirstAttempts.labels(delivery(), status))
        .containsEntry(Herald.LABEL_PHASE, "Exhausted");
    assertThat(status.getPhase()).isEqualTo(DeliveryPhase.Exhausted);
    assertThat(status.getNextAttemptTime()).isNull();
  }

  @Test
  void theRequestIsTheOneADeliverySends() throws Exception {
    WebhookEndpoint endpoint = endpoint("1m");
    endpoint.getSpec().setHeaders(Map.of("X-Team", "billing"));
    EndpointSettings settings = EndpointSettings.of(endpoint.getSpec());
    List<SigningKey> keys =
        List.of(
            SigningKey.parse(
                "whsec_"
                    + java.util.Base64.getEncoder()
                        .encodeToString("k".repeat(32).getBytes(StandardCharsets.UTF_8))));
    WebhookDelivery d = delivery();
    var credentials =
        new dev.herald.endpoint.EndpointCredentials.Resolved(
            Map.of("X-Api-Key", "from-a-secret"), null);
    var viaDelivery =
        new DeliveryDecision.Send(
                DeliveryStatuses.progressOf(DeliveryStatuses.copy(null)), settings)
            .request(d, keys, credentials, T0);
    var viaEvent =
        AttemptRequests.of(
            settings,
            "evt_1",
            d.getSpec().getEventType(),
            d.getSpec().getPayload(),
            keys,
            credentials,
            T0);
    assertThat(viaEvent.extraHeaders())
        .containsEntry("X-Team", "billing")
        .containsEntry("X-Api-Key", "from-a-secret");
    assertThat(viaEvent.webhookId()).isEqualTo(viaDelivery.webhookId()).isEqualTo("evt_1");
    assertThat(viaEvent.body()).isEqualTo(viaDelivery.body());
    assertThat(viaEvent.extraHeaders()).isEqualTo(viaDelivery.extraHeaders());
    assertThat(viaEvent.timeout()).isEqualTo(viaDelivery.timeout());
    assertThat(viaEvent.url()).isEqualTo(viaDelivery.url());
    assertThat(viaEvent.keys()).isEqualTo(viaDelivery.keys());
  }

  @Test
  void aDeliveryWaitsForTheEventsStatusWriteForAGraceOnly() {
    WebhookDelivery d = delivery();
    d.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    assertThat(FirstAttempts.awaitingStatus(d, T0)).as("no annotation").isNull();

    d.getMetadata().setAnnotations(Map.of(Herald.ANNOTATION_FIRST_ATTEMPT, "order-1"));
    assertThat(FirstAttempts.awaitingStatus(d, T0.plusMillis(100)))
        .isEqualTo(FirstAttempts.STATUS_POLL);
    assertThat(
            FirstAttempts.awaitingStatus(d, T0.plus(FirstAttempts.STATUS_GRACE).minusMillis(300)))
        .isEqualTo(Duration.ofMillis(300));
    assertThat(FirstAttempts.awaitingStatus(d, T0.plus(FirstAttempts.STATUS_GRACE)))
        .as("the event's operator died before writing it: the delivery sends attempt 1 itself")
        .isNull();

    d.setStatus(new WebhookDeliveryStatus());
    assertThat(FirstAttempts.awaitingStatus(d, T0.plusMillis(100))).as("status written").isNull();
  }
}
