package dev.herald.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.recover.RecoverFilter.TimeField;
import dev.herald.testing.Resources;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecoverFilterTest {
  private static final Instant NINE = Instant.parse("2026-12-02T09:00:00Z");
  private static final Instant TEN = Instant.parse("2026-12-02T10:00:00Z");

  static WebhookDelivery delivery(
      String endpoint, DeliveryPhase phase, String created, String lastAttempt) {
    WebhookDelivery d = Resources.delivery("ns", "d", endpoint, "{}");
    d.getMetadata().setCreationTimestamp(created);
    if (phase != null) {
      WebhookDeliveryStatus status = new WebhookDeliveryStatus();
      status.setPhase(phase);
      status.setLastAttemptTime(lastAttempt);
      d.setStatus(status);
    }
    return d;
  }

  private static RecoverFilter exhausted(TimeField field, Instant since, Instant until) {
    return new RecoverFilter(null, Set.of(DeliveryPhase.Exhausted), field, since, until);
  }

  @Test
  void sinceIsInclusiveAndUntilExclusive() {
    RecoverFilter f = exhausted(TimeField.created, NINE, TEN);
    assertThat(f.matches(delivery("a", DeliveryPhase.Exhausted, "2026-12-02T09:00:00Z", null)))
        .isTrue();
    assertThat(f.matches(delivery("a", DeliveryPhase.Exhausted, "2026-12-02T09:59:59Z", null)))
        .isTrue();
    assertThat(f.matches(delivery("a", DeliveryPhase.Exhausted, "2026-12-02T10:00:00Z", null)))
        .isFalse();
    assertThat(f.matches(delivery("a", DeliveryPhase.Exhausted, "2026-12-02T08:59:59Z", null)))
        .isFalse();
  }

  @Test
  void theTimeFieldChoosesWhichTimeIsBounded() {
    WebhookDelivery createdEarlierFailedInRange =
        delivery("a", DeliveryPhase.Exhausted, "2026-12-01T00:00:00Z", "2026-12-02T09:30:00Z");
    assertThat(exhausted(TimeField.created, NINE, TEN).matches(createdEarlierFailedInRange))
        .isFalse();
    assertThat(exhausted(TimeField.lastAttempt, NINE, TEN).matches(createdEarlierFailedInRange))
        .isTrue();
    WebhookDelivery neverAttempted =
        delivery("a", DeliveryPhase.Exhausted, "2026-12-02T09:30:00Z", null);
    assertThat(exhausted(TimeField.lastAttempt, NINE, null).matches(neverAttempted)).isFalse();
  }

  @Test
  void phaseAndEndpointComeFromStatusAndSpec() {
    RecoverFilter billing =
        new RecoverFilter(
            "billing",
            Set.of(DeliveryPhase.Exhausted, DeliveryPhase.Failed),
            TimeField.created,
            null,
            null);
    String t = "2026-12-02T09:30:00Z";
    assertThat(billing.matches(delivery("billing", DeliveryPhase.Failed, t, t))).isTrue();
    assertThat(billing.matches(delivery("billing", DeliveryPhase.Succeeded, t, t))).isFalse();
    assertThat(billing.matches(delivery("shipping", DeliveryPhase.Exhausted, t, t))).isFalse();
    assertThat(billing.matches(delivery("billing", null, t, t))).as("no status yet").isFalse();
  }

  @Test
  void cancelledAndPendingCannotBeRecovered() {
    assertThatThrownBy(
            () ->
                new RecoverFilter(
                    null, Set.of(DeliveryPhase.Cancelled), TimeField.created, null, null))
        .hasMessageContaining("cannot be recovered");
    assertThatThrownBy(
            () ->
                new RecoverFilter(
                    null, Set.of(DeliveryPhase.Pending), TimeField.created, null, null))
        .hasMessageContaining("cannot be recovered");
    assertThatThrownBy(() -> new RecoverFilter(null, Set.of(), TimeField.created, null, null))
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> exhausted(TimeField.created, TEN, NINE))
        .hasMessageContaining("before");
  }

  @Test
  void phasesAreReadCaseInsensitively() {
    assertThat(RecoverFilter.phase("exhausted")).isEqualTo(DeliveryPhase.Exhausted);
    assertThat(RecoverFilter.phase(" Failed")).isEqualTo(DeliveryPhase.Failed);
    assertThatThrownBy(() -> RecoverFilter.phase("done")).hasMessageContaining("unknown phase");
  }
}
