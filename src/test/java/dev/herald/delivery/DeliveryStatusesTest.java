package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.http.AttemptResult;
import dev.herald.retry.DeliveryProgress;
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
  void theAttemptLogKeepsTheNewestHundred() {
    WebhookDeliveryStatus status = failedTimes(105, "HTTP 500");
    assertThat(status.getAttempts()).isEqualTo(105);
    assertThat(status.getAttemptLog()).hasSize(100);
    assertThat(status.getAttemptLog().get(0).getAttempt()).isEqualTo(6);
    assertThat(status.getAttemptLog().get(99).getAttempt()).isEqualTo(105);
  }

  @Test
  void aLongErrorMessageIsCutBeforeItGoesIntoStatus() {
    WebhookDeliveryStatus status = failedTimes(1, "refused: " + "m".repeat(100_000));
    assertThat(status.getAttemptLog().get(0).getMessage())
        .hasSize(DeliveryStatuses.MAX_MESSAGE)
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
}
