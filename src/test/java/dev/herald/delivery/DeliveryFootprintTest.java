package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointRef;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.Schemas;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.http.AttemptResult;
import dev.herald.kube.KubeJson;
import dev.herald.retry.DeliveryProgress;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A delivery's object stays within {@link #BOUND} bytes beyond its payload at any attempt count,
 * with every string at its maximum: the worst characters (3-byte ones, quotes and control
 * characters, which JSON escapes) in the longest URL, error message and response excerpt an attempt
 * can carry, and the longest names the API server admits.
 */
class DeliveryFootprintTest {
  /** The KEP-95 object size target, less nothing: the payload is the user's to size. */
  static final int BOUND = 10 * 1024;

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String NAME = "d".repeat(253);

  /** 2048 characters of 3 bytes each, as long as the schema lets a URL be. */
  private static final String URL =
      "https://hooks.example.com/" + "€".repeat(Schemas.URL_MAX_LENGTH - 26);

  /** Control characters take six bytes each in JSON ({@code \u0001}). */
  private static final String MESSAGE = "\u0001".repeat(100_000);

  /** A 500-byte body of quotes, each escaped to two bytes; or 500 invalid bytes, 3 each. */
  private static final String EXCERPT = "\"".repeat(250) + "\uFFFD".repeat(500);

  private static final AttemptResult WORST_FAILURE =
      new AttemptResult(URL, 503, ErrorClass.Http5xx, MESSAGE, EXCERPT, 30_000, null);

  static WebhookDelivery worstDelivery(ObjectNode payload) {
    WebhookDelivery d = new WebhookDelivery();
    d.setMetadata(
        new ObjectMetaBuilder()
            .withName(NAME)
            .withNamespace("n".repeat(63))
            .withUid("0e5f5c6a-6f43-4c89-9d3e-1b1f2d5d9a77")
            .withResourceVersion("123456789012")
            .withGeneration(12L)
            .withCreationTimestamp("2026-01-01T00:00:00Z")
            .withLabels(
                Map.of(
                    Herald.LABEL_ENDPOINT, "e".repeat(63),
                    Herald.LABEL_PHASE, "Exhausted",
                    Herald.LABEL_EVENT, "v".repeat(63)))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("herald.dev/v1alpha1")
                    .withKind("WebhookEvent")
                    .withName("v".repeat(253))
                    .withUid("0e5f5c6a-6f43-4c89-9d3e-1b1f2d5d9a78")
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .build());
    WebhookDeliverySpec spec = new WebhookDeliverySpec();
    spec.setEndpointRef(new EndpointRef("e".repeat(253)));
    spec.setEventType("t".repeat(Schemas.EVENT_TYPE_MAX_LENGTH));
    spec.setDeliveryId("i".repeat(253));
    spec.setPayload(payload);
    d.setSpec(spec);
    return d;
  }

  /** The status after {@code attempts} failed attempts, each recorded at {@code size}. */
  static WebhookDeliveryStatus afterFailures(int attempts, DeliveryStatuses.Size size) {
    WebhookDeliveryStatus status = DeliveryStatuses.copy(null);
    status.setMaxAttempts(Integer.MAX_VALUE);
    status.setEndpointUid("0e5f5c6a-6f43-4c89-9d3e-1b1f2d5d9a79");
    status.setObservedReplay("r".repeat(63));
    for (int n = 1; n <= attempts; n++) {
      Instant at = T0.plusSeconds(n);
      DeliveryProgress after =
          new DeliveryProgress(
              n == attempts ? DeliveryPhase.Exhausted : DeliveryPhase.Failed,
              n,
              T0,
              n == attempts ? null : at.plusSeconds(60),
              n == attempts ? at : null);
      status =
          DeliveryStatuses.afterAttempt(
              status, after, WORST_FAILURE, at, at.plusSeconds(30), 12L, size, MESSAGE);
    }
    return status;
  }

  static int bytesBeyondPayload(WebhookDelivery d) {
    ObjectNode payload = d.getSpec().getPayload();
    int payloadBytes =
        KubeJson.serialization().asJson(payload).getBytes(StandardCharsets.UTF_8).length;
    return KubeJson.serialization().asJson(d).getBytes(StandardCharsets.UTF_8).length
        - payloadBytes;
  }

  @ParameterizedTest(name = "{0} attempts, {1}")
  @CsvSource({
    "1, FULL", "10, FULL", "100, FULL", "1000, FULL",
    "1, COMPACT", "10, COMPACT", "100, COMPACT", "1000, COMPACT",
    "1, MINIMAL", "10, MINIMAL", "100, MINIMAL", "1000, MINIMAL"
  })
  void aDeliveryStaysWithinTenKilobytesBeyondItsPayload(int attempts, DeliveryStatuses.Size size) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode().put("data", "p".repeat(200_000));
    WebhookDelivery d = worstDelivery(payload);
    d.setStatus(afterFailures(attempts, size));

    int bytes = bytesBeyondPayload(d);

    System.out.printf(
        "footprint: %d attempts at %s: %d bytes beyond the payload%n", attempts, size, bytes);
    assertThat(bytes).isLessThanOrEqualTo(BOUND);
    assertThat(d.getStatus().getAttempts()).isEqualTo(attempts);
    if (size == DeliveryStatuses.Size.FULL) {
      assertThat(d.getStatus().getAttemptLog())
          .hasSize(Math.min(attempts, WebhookDeliveryStatus.MAX_LOG_ENTRIES));
    }
  }

  @Test
  void theLogKeepsTheFirstAttemptAndTheNewest() {
    WebhookDeliveryStatus status = afterFailures(1000, DeliveryStatuses.Size.FULL);
    assertThat(status.getAttemptLog())
        .extracting(r -> r.getAttempt())
        .containsExactly(1, 997, 998, 999, 1000);
    assertThat(status.getAttempts()).isEqualTo(1000);
  }

  @Test
  void aLogStoredByAnEarlierVersionShrinksAtTheNextAttempt() {
    WebhookDeliveryStatus status = afterFailures(1, DeliveryStatuses.Size.FULL);
    var old = status.getAttemptLog().get(0);
    var log = new java.util.ArrayList<dev.herald.api.v1alpha1.AttemptRecord>();
    for (int n = 1; n <= 100; n++) {
      var r = KubeJson.serialization().clone(old);
      r.setAttempt(n);
      r.setMessage(MESSAGE.substring(0, 1024));
      log.add(r);
    }
    status.setAttemptLog(log);
    status.setAttempts(100);
    var after = new DeliveryProgress(DeliveryPhase.Failed, 101, T0, T0.plusSeconds(9), null);
    DeliveryStatuses.addAttempt(status, after, WORST_FAILURE, T0);
    assertThat(status.getAttemptLog())
        .extracting(r -> r.getAttempt())
        .containsExactly(1, 98, 99, 100, 101);
    assertThat(status.getAttemptLog())
        .allSatisfy(
            r ->
                assertThat(r.getMessage().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(DeliveryStatuses.RECORD_TEXT));
  }

  @Test
  void cuttingCountsTheBytesOfJsonNotCharacters() {
    assertThat(DeliveryStatuses.cut("abc", 3)).isEqualTo("abc");
    assertThat(DeliveryStatuses.cut("abcd", 3)).isEqualTo("...");
    assertThat(DeliveryStatuses.cut("€€€€", 10)).isEqualTo("€€...");
    assertThat(DeliveryStatuses.cut("\u0001\u0001", 12)).isEqualTo("\u0001\u0001");
    assertThat(DeliveryStatuses.cut("\u0001\u0001\u0001", 12)).isEqualTo("\u0001...");
    // a surrogate pair is never split
    assertThat(DeliveryStatuses.cut("😀😀", 7)).isEqualTo("😀...");
    assertThat(DeliveryStatuses.cut("😀😀", 6)).isEqualTo("...");
  }
}
