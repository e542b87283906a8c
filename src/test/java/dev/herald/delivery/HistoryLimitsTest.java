package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryLimitsTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  void keepsTheNewestFinishedAndNeverTouchesUnfinished() {
    List<WebhookDelivery> all = new ArrayList<>();
    all.add(delivery("old", DeliveryPhase.Succeeded, T0));
    all.add(delivery("pending", DeliveryPhase.Pending, null));
    all.add(delivery("failed", DeliveryPhase.Failed, null));
    all.add(delivery("mid", DeliveryPhase.Exhausted, T0.plusSeconds(10)));
    all.add(delivery("new", DeliveryPhase.Cancelled, T0.plusSeconds(20)));
    assertThat(HistoryLimits.beyondKeep(all, 2))
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("old");
    assertThat(HistoryLimits.beyondKeep(all, 0))
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("old", "mid", "new");
    assertThat(HistoryLimits.beyondKeep(all, 3)).isEmpty();
  }

  @Test
  void deletesInBoundedBatches() {
    List<WebhookDelivery> all = new ArrayList<>();
    for (int i = 0; i < 2 * HistoryLimits.BATCH; i++) {
      all.add(delivery("d" + i, DeliveryPhase.Succeeded, T0.plusSeconds(i)));
    }
    List<WebhookDelivery> batch = HistoryLimits.beyondKeep(all, 10);
    assertThat(batch).hasSize(HistoryLimits.BATCH);
    assertThat(batch.get(0).getMetadata().getName()).isEqualTo("d0");
  }

  @Test
  void expiryIsCompletionPlusTtl() {
    assertThat(
            HistoryLimits.expiry(
                delivery("x", DeliveryPhase.Succeeded, T0).getStatus(), Duration.ofHours(168)))
        .isEqualTo(T0.plus(Duration.ofHours(168)));
    assertThat(
            HistoryLimits.expiry(
                delivery("y", DeliveryPhase.Failed, null).getStatus(), Duration.ofHours(1)))
        .isNull();
  }

  private static WebhookDelivery delivery(String name, DeliveryPhase phase, Instant completed) {
    WebhookDelivery d = new WebhookDelivery();
    d.setMetadata(new ObjectMetaBuilder().withName(name).withUid("uid-" + name).build());
    WebhookDeliveryStatus s = new WebhookDeliveryStatus();
    s.setPhase(phase);
    s.setCompletionTime(completed == null ? null : completed.toString());
    d.setStatus(s);
    return d;
  }
}
