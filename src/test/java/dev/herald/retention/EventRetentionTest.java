package dev.herald.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.api.v1alpha1.WebhookEventStatus;
import dev.herald.kube.LabelValues;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a WebhookEvent is finished, and which finished events go. */
class EventRetentionTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final Duration TTL = Duration.ofHours(1);

  static WebhookEvent event(String name, Instant fannedOut) {
    WebhookEvent e = new WebhookEvent();
    e.setMetadata(
        new ObjectMetaBuilder().withNamespace("ns").withName(name).withUid("uid-" + name).build());
    if (fannedOut != null) {
      WebhookEventStatus s = new WebhookEventStatus();
      s.setFanOutTime(fannedOut.toString());
      e.setStatus(s);
    }
    return e;
  }

  static WebhookDelivery delivery(String event, DeliveryPhase phase, Instant completed) {
    WebhookDelivery d = new WebhookDelivery();
    d.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("ns")
            .withName(event + "-" + phase)
            .withLabels(Map.of(Herald.LABEL_EVENT, LabelValues.orHash(event)))
            .build());
    WebhookDeliveryStatus s = new WebhookDeliveryStatus();
    s.setPhase(phase);
    s.setCompletionTime(completed == null ? null : completed.toString());
    d.setStatus(s);
    return d;
  }

  static List<String> names(List<EventRetention.Due> due) {
    return due.stream().map(d -> d.event().getMetadata().getName()).toList();
  }

  @Test
  void anEventFinishesWhenItsLastDeliveryDoes() {
    Instant fanOut = NOW.minus(Duration.ofHours(3));
    Instant last = NOW.minus(Duration.ofMinutes(30));
    var deliveries =
        List.of(
            delivery("e", DeliveryPhase.Succeeded, fanOut.plusSeconds(1)),
            delivery("e", DeliveryPhase.Exhausted, last));
    assertThat(EventRetention.finishedAt(event("e", fanOut), deliveries, NOW)).isEqualTo(last);
    assertThat(EventRetention.finishedAt(event("e", fanOut), List.of(), NOW)).isEqualTo(fanOut);
  }

  @Test
  void anEventWithAnUnfinishedDeliveryOrNotFannedOutIsNotFinished() {
    Instant fanOut = NOW.minus(Duration.ofDays(30));
    for (DeliveryPhase running : List.of(DeliveryPhase.Pending, DeliveryPhase.Failed)) {
      var deliveries =
          List.of(delivery("e", DeliveryPhase.Succeeded, fanOut), delivery("e", running, null));
      assertThat(EventRetention.finishedAt(event("e", fanOut), deliveries, NOW)).isNull();
    }
    WebhookDelivery fresh = delivery("e", DeliveryPhase.Pending, null);
    fresh.setStatus(null);
    assertThat(EventRetention.finishedAt(event("e", fanOut), List.of(fresh), NOW))
        .as("a delivery not looked at yet")
        .isNull();
    assertThat(EventRetention.finishedAt(event("e", null), List.of(), NOW)).isNull();
    assertThat(
            EventRetention.finishedAt(
                event("e", NOW.minus(EventRetention.MIN_AGE).plusSeconds(1)), List.of(), NOW))
        .as("fanned out just now: its deliveries may not be in the informer yet")
        .isNull();
  }

  @Test
  void expiredEventsGoAndOnesWithARetryingDeliveryStay() {
    var events =
        List.of(
            event("expired", NOW.minus(Duration.ofHours(2))),
            event("retrying", NOW.minus(Duration.ofDays(9))),
            event("fresh", NOW.minus(Duration.ofMinutes(10))),
            event("late-delivery", NOW.minus(Duration.ofHours(2))));
    var deliveries =
        EventRetention.byEvent(
            List.of(
                delivery("retrying", DeliveryPhase.Failed, null),
                delivery("late-delivery", DeliveryPhase.Succeeded, NOW.minusSeconds(60)),
                delivery("expired", DeliveryPhase.Succeeded, NOW.minus(Duration.ofHours(2)))));
    assertThat(names(EventRetention.due(events, deliveries, TTL, FinishedBudget.NONE, NOW, 20)))
        .containsExactly("expired");
  }

  @Test
  void theBudgetTakesEventsWhoseDeliveriesSucceededFirst() {
    List<WebhookEvent> events = new ArrayList<>();
    List<WebhookDelivery> deliveries = new ArrayList<>();
    events.add(event("failed-old", NOW.minus(Duration.ofMinutes(50))));
    deliveries.add(
        delivery("failed-old", DeliveryPhase.Exhausted, NOW.minus(Duration.ofMinutes(50))));
    for (int i = 0; i < 3; i++) {
      events.add(event("ok-" + i, NOW.minus(Duration.ofMinutes(40 - i))));
    }
    events.add(event("running", NOW.minus(Duration.ofMinutes(59))));
    deliveries.add(delivery("running", DeliveryPhase.Failed, null));
    var due =
        EventRetention.due(
            events, EventRetention.byEvent(deliveries), TTL, new FinishedBudget(2, 0), NOW, 20);
    // four finished (the running one does not count), two beyond the budget: the oldest
    // succeeded ones
    assertThat(due)
        .extracting(d -> d.event().getMetadata().getName(), EventRetention.Due::reason)
        .containsExactly(
            tuple("ok-0", Evictions.Reason.budget), tuple("ok-1", Evictions.Reason.budget));
  }

  @Test
  void aLongEventNameIsMatchedThroughItsLabelHash() {
    String name = "e".repeat(200);
    var deliveries = EventRetention.byEvent(List.of(delivery(name, DeliveryPhase.Failed, null)));
    assertThat(EventRetention.deliveriesOf(event(name, NOW.minus(Duration.ofDays(9))), deliveries))
        .hasSize(1);
  }
}
