package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.DeliveryReason;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.http.AttemptResult;
import dev.herald.http.FailureHints;
import dev.herald.kube.Conditions;
import dev.herald.retry.DeliveryProgress;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What goes into a delivery's status per attempt stays bounded, and can be cut down when the server
 * refuses it.
 */
class DeliveryStatusesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String URL = "https://hooks.example.com/" + "p".repeat(2000);

  private static WebhookDeliveryStatus failedTimes(int attempts, String message) {
    WebhookDeliveryStatus status = new WebhookDeliveryStatus();
    for (int n = 1; n <= attempts; n++) {
      AttemptResult result =
          new AttemptResult(URL, 500, ErrorClass.Http5xx, message, "x".repeat(500), 3, null);
      DeliveryProgress after =
          new DeliveryProgress(DeliveryPhase.Failed, n, T0, T0.plusSeconds(n), null);
      DeliveryStatuses.addAttempt(status, after, result, T0.plusSeconds(n - 1));
    }
    return status;
  }

  @Test
  void theAttemptLogKeepsTheFirstAndTheNewest() {
    WebhookDeliveryStatus status = failedTimes(105, "HTTP 500");
    assertThat(status.getAttempts()).isEqualTo(105);
    assertThat(status.getAttemptLog())
        .extracting(r -> r.getAttempt())
        .containsExactly(1, 102, 103, 104, 105);
  }

  @Test
  void aLongErrorMessageIsCutBeforeItGoesIntoStatus() {
    WebhookDeliveryStatus status = failedTimes(1, "refused: " + "m".repeat(100_000));
    assertThat(status.getAttemptLog().get(0).getMessage())
        .hasSize(DeliveryStatuses.RECORD_TEXT)
        .endsWith("...");
    assertThat(status.getLastError().getMessage()).hasSize(DeliveryStatuses.MAX_MESSAGE);
  }

  @Test
  void compactingKeepsTheNewestRecordWithShortStringsAndEveryCounter() {
    WebhookDeliveryStatus status = failedTimes(40, "m".repeat(900));
    DeliveryStatuses.compact(status);
    assertThat(status.getAttemptLog())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getAttempt()).isEqualTo(40);
              assertThat(r.getUrl())
                  .hasSize(DeliveryStatuses.COMPACT_TEXT)
                  .startsWith("https://hooks.example.com/");
              assertThat(r.getMessage()).hasSize(DeliveryStatuses.COMPACT_TEXT);
              assertThat(r.getResponseExcerpt()).isNull();
              assertThat(r.getStatusCode()).isEqualTo(500);
            });
    assertThat(status.getAttempts()).isEqualTo(40);
    assertThat(status.getPhase()).isEqualTo(DeliveryPhase.Failed);
    assertThat(status.getNextAttemptTime()).isNotNull();
    assertThat(status.getLastError().getMessage()).hasSize(DeliveryStatuses.COMPACT_TEXT);
  }

  @Test
  void theMinimalStatusHasNoLogAndNoMessageButEveryCounter() {
    WebhookDeliveryStatus status = failedTimes(3, "down");
    status.setEndpointUid("uid-1");
    WebhookDeliveryStatus minimal = DeliveryStatuses.minimal(status);
    assertThat(minimal.getAttemptLog()).isNull();
    assertThat(minimal.getAttempts()).isEqualTo(3);
    assertThat(minimal.getLastStatusCode()).isEqualTo(500);
    assertThat(minimal.getLastError().getErrorClass()).isEqualTo(ErrorClass.Http5xx);
    assertThat(minimal.getLastError().getMessage()).isNull();
    assertThat(minimal.getEndpointUid()).isEqualTo("uid-1");
    assertThat(minimal.getFirstAttemptTime()).isEqualTo(status.getFirstAttemptTime());
  }

  private static final AttemptResult HTTP_500 =
      new AttemptResult(
          "https://hooks.example.com/in", 500, ErrorClass.Http5xx, "HTTP 500", "", 3, null);
  private static final AttemptResult HTTP_200 =
      new AttemptResult("https://hooks.example.com/in", 200, null, null, "", 3, null);

  private static WebhookDeliveryStatus sending() {
    WebhookDeliveryStatus status = DeliveryStatuses.copy(null);
    status.setMaxAttempts(3);
    status.setEndpointUid("uid-1");
    return status;
  }

  private static WebhookDeliveryStatus after(
      AttemptResult result, DeliveryProgress progress, DeliveryStatuses.Size size) {
    return DeliveryStatuses.afterAttempt(
        sending(), progress, result, T0, T0.plusSeconds(1), 7L, size, "413 too large");
  }

  private static Condition ready(WebhookDeliveryStatus status) {
    return Conditions.find(status.getConditions(), Conditions.READY).orElseThrow();
  }

  private static final DeliveryProgress RETRYING =
      new DeliveryProgress(DeliveryPhase.Failed, 1, T0, T0.plusSeconds(60), null);

  @Test
  void aFailedAttemptReadsRetryingWithItsNextTime() {
    WebhookDeliveryStatus status = after(HTTP_500, RETRYING, DeliveryStatuses.Size.FULL);
    assertThat(ready(status).getReason()).isEqualTo(DeliveryReason.Retrying.name());
    assertThat(ready(status).getMessage())
        .isEqualTo(
            "Http5xx: HTTP 500 (attempt 1 of 3); next attempt at 2026-01-01T00:01:00Z; hint: "
                + FailureHints.of(ErrorClass.Http5xx, 500));
    assertThat(status.getObservedGeneration()).isEqualTo(7L);
    assertThat(status.getAttemptLog()).hasSize(1);
  }

  @Test
  void theHintIsInTheLastErrorAndOnTheNewestRecordOnly() {
    WebhookDeliveryStatus status = after(HTTP_500, RETRYING, DeliveryStatuses.Size.FULL);
    String hint = FailureHints.of(ErrorClass.Http5xx, 500);
    assertThat(status.getLastError().getHint()).isEqualTo(hint);
    assertThat(status.getAttemptLog().get(0).getHint()).isEqualTo(hint);

    DeliveryProgress second =
        new DeliveryProgress(DeliveryPhase.Failed, 2, T0, T0.plusSeconds(400), null);
    AttemptResult notFound =
        new AttemptResult(
            "https://hooks.example.com/in", 404, ErrorClass.Http4xx, "HTTP 404", "", 3, null);
    WebhookDeliveryStatus later =
        DeliveryStatuses.afterAttempt(
            status,
            second,
            notFound,
            T0.plusSeconds(60),
            T0.plusSeconds(61),
            7L,
            DeliveryStatuses.Size.FULL,
            null);
    assertThat(later.getAttemptLog())
        .extracting(r -> r.getHint())
        .containsExactly(null, FailureHints.of(ErrorClass.Http4xx, 404));
    assertThat(later.getLastError().getHint()).contains("spec.url");
    assertThat(ready(later).getMessage())
        .endsWith("; hint: " + FailureHints.of(ErrorClass.Http4xx, 404));
  }

  @Test
  void aSuccessHasNoHint() {
    AttemptResult ok =
        new AttemptResult("https://hooks.example.com/in", 200, null, null, "", 3, null);
    assertThat(ok.hint()).isNull();
    WebhookDeliveryStatus status =
        after(
            ok,
            new DeliveryProgress(DeliveryPhase.Succeeded, 1, T0, null, T0.plusSeconds(1)),
            DeliveryStatuses.Size.FULL);
    assertThat(status.getAttemptLog().get(0).getHint()).isNull();
    assertThat(ready(status).getMessage()).doesNotContain("hint");
  }

  @Test
  void aCompactedStatusSaysOlderRecordsWereDroppedAndGoesOn() {
    WebhookDeliveryStatus status = after(HTTP_500, RETRYING, DeliveryStatuses.Size.COMPACT);
    assertThat(status.getPhase()).isEqualTo(DeliveryPhase.Failed);
    assertThat(ready(status).getReason()).isEqualTo(DeliveryReason.Retrying.name());
    assertThat(ready(status).getMessage())
        .endsWith(
            "; older attempt records were dropped: the API server refused the full status (413 too large)");
  }

  @Test
  void aMinimalStatusEndsAFailingDeliveryAsRejected() {
    WebhookDeliveryStatus status = after(HTTP_500, RETRYING, DeliveryStatuses.Size.MINIMAL);
    assertThat(status.getPhase()).isEqualTo(DeliveryPhase.Exhausted);
    assertThat(status.getNextAttemptTime()).isNull();
    assertThat(status.getCompletionTime()).isEqualTo("2026-01-01T00:00:01Z");
    assertThat(status.getAttemptLog()).isNull();
    assertThat(ready(status).getReason()).isEqualTo(DeliveryReason.StatusRejected.name());
    assertThat(ready(status).getStatus()).isEqualTo("False");
  }

  @Test
  void aMinimalStatusOfASuccessStillSaysDelivered() {
    DeliveryProgress succeeded =
        new DeliveryProgress(DeliveryPhase.Succeeded, 2, T0, null, T0.plusSeconds(1));
    WebhookDeliveryStatus status = after(HTTP_200, succeeded, DeliveryStatuses.Size.MINIMAL);
    assertThat(status.getPhase()).isEqualTo(DeliveryPhase.Succeeded);
    assertThat(ready(status).getReason()).isEqualTo(DeliveryReason.Delivered.name());
    assertThat(ready(status).getStatus()).isEqualTo("True");
    assertThat(ready(status).getMessage()).startsWith("HTTP 200 (attempt 2); the API server");
  }

  @Test
  void aFirstTrySuccessIsNotAnnouncedButALaterOneIs() {
    WebhookDelivery delivery = new WebhookDelivery();
    delivery.setStatus(sending());
    DeliveryProgress first =
        new DeliveryProgress(DeliveryPhase.Succeeded, 1, T0, null, T0.plusSeconds(1));
    DeliveryProgress second =
        new DeliveryProgress(DeliveryPhase.Succeeded, 2, T0, null, T0.plusSeconds(1));

    assertThat(
            DeliveryStatuses.announcement(
                delivery, after(HTTP_200, first, DeliveryStatuses.Size.FULL)))
        .isEmpty();
    assertThat(
            DeliveryStatuses.announcement(
                delivery, after(HTTP_200, second, DeliveryStatuses.Size.FULL)))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("Delivered"));
    delivery.setStatus(after(HTTP_500, RETRYING, DeliveryStatuses.Size.FULL));
    assertThat(
            DeliveryStatuses.announcement(
                delivery, after(HTTP_500, RETRYING, DeliveryStatuses.Size.FULL)))
        .as("no Event while the reason stays the same")
        .isEmpty();
  }

  @Test
  void throttledIsWrittenButNotAnnounced() {
    WebhookDelivery delivery = new WebhookDelivery();
    delivery.setStatus(sending());
    WebhookDeliveryStatus waiting = DeliveryStatuses.copy(sending());
    DeliveryStatuses.setReady(waiting, DeliveryReason.Throttled, "waits its turn", 1L, T0);
    assertThat(DeliveryStatuses.announcement(delivery, waiting)).isEmpty();
    assertThat(DeliveryStatuses.throttled(delivery)).isFalse();
    delivery.setStatus(waiting);
    assertThat(DeliveryStatuses.throttled(delivery)).isTrue();
  }

  @Test
  void finishedAndReplayRequested() {
    WebhookDelivery delivery = new WebhookDelivery();
    delivery.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    assertThat(DeliveryStatuses.finished(delivery)).isFalse();
    delivery.setStatus(
        after(
            HTTP_200,
            new DeliveryProgress(DeliveryPhase.Succeeded, 1, T0, null, T0),
            DeliveryStatuses.Size.FULL));
    assertThat(DeliveryStatuses.finished(delivery)).isTrue();
    assertThat(DeliveryStatuses.replayRequested(delivery)).isFalse();
    delivery
        .getMetadata()
        .setAnnotations(java.util.Map.of(dev.herald.api.Herald.ANNOTATION_REPLAY, "1"));
    assertThat(DeliveryStatuses.replayRequested(delivery)).isTrue();
    delivery.getStatus().setObservedReplay("1");
    assertThat(DeliveryStatuses.replayRequested(delivery)).isFalse();
  }
}
