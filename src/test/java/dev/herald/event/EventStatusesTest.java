package dev.herald.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointOutcome;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.WebhookEventStatus;
import dev.herald.kube.KubeJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a published event's status says: bounded outcomes, exact counts, a Ready condition. */
class EventStatusesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static EventStatuses.Notes notes(List<String> conflicts) {
    return new EventStatuses.Notes(conflicts, List.of(), 0, null, "order.created", "ns");
  }

  private static EndpointOutcome ok(String name) {
    return new EndpointOutcome(name, DeliveryPhase.Succeeded, 200, 1, null, null);
  }

  @Test
  void thousandsOfEndpointsMakeABoundedListWithExactCountsFailuresFirst() {
    List<EndpointOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      outcomes.add(ok(String.format("ep-%04d", i)));
    }
    outcomes.add(
        new EndpointOutcome(
            "zz-failed", DeliveryPhase.Failed, 503, 1, "zz-failed-1", ErrorClass.Http5xx));
    outcomes.add(
        new EndpointOutcome("yy-pending", DeliveryPhase.Pending, null, 0, "yy-pending-1", null));
    WebhookEventStatus s = EventStatuses.compose(outcomes, notes(List.of()), 1L, T0);
    assertThat(s.getDeliveries()).isEqualTo(3002);
    assertThat(s.getSucceeded()).isEqualTo(3000);
    assertThat(s.getFailed()).isEqualTo(1);
    assertThat(s.getPending()).isEqualTo(1);
    assertThat(s.getOutcomes()).hasSize(WebhookEventStatus.MAX_OUTCOMES);
    assertThat(s.getOutcomesOmitted()).isEqualTo(3002 - WebhookEventStatus.MAX_OUTCOMES);
    assertThat(s.getEndpoints()).hasSize(WebhookEventStatus.MAX_OUTCOMES);
    assertThat(s.getOutcomes().get(0).getEndpoint()).isEqualTo("zz-failed");
    assertThat(s.getOutcomes().get(1).getEndpoint()).isEqualTo("yy-pending");
    assertThat(s.getOutcomes().get(2).getEndpoint()).isEqualTo("ep-0000");
    assertThat(s.getFanOutTime()).isEqualTo("2026-01-01T00:00:00Z");
    var ready = s.getConditions().get(0);
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("Published");
    assertThat(ready.getMessage())
        .isEqualTo(
            "published to 3002 endpoints: 3000 delivered at the first attempt, 1 failed (their"
                + " deliveries retry), 1 sent through deliveries");
  }

  @Test
  void conflictsAreNamedBoundedAndMakeReadyFalse() {
    List<String> conflicts = List.of("c1", "c2", "c3", "c4", "c5");
    WebhookEventStatus s = EventStatuses.compose(List.of(ok("a")), notes(conflicts), 1L, T0);
    var ready = s.getConditions().get(0);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("Conflict");
    assertThat(ready.getMessage()).contains("c1; c2; c3; and 2 more").doesNotContain("c4");
  }

  @Test
  void noSubscribersAndDuplicatesSaySo() {
    WebhookEventStatus none = EventStatuses.compose(List.of(), notes(List.of()), 1L, T0);
    assertThat(none.getConditions().get(0).getReason()).isEqualTo("NoSubscribers");
    assertThat(none.getDeliveries()).isZero();
    WebhookEventStatus dup =
        EventStatuses.compose(
            List.of(),
            new EventStatuses.Notes(List.of(), List.of(), 0, "order-1", "order.created", "ns"),
            1L,
            T0);
    assertThat(dup.getConditions().get(0).getReason()).isEqualTo("Published");
    assertThat(dup.getConditions().get(0).getMessage())
        .contains("existed already", "order-1", "nothing sent again");
  }

  @Test
  void anEventToThousandsOfEndpointsWithLongNamesStaysUnderTenKilobytesOfStatus() {
    List<EndpointOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      String endpoint = String.format("%-63s", "ep-" + i).replace(' ', 'x'); // a DNS label's length
      outcomes.add(
          new EndpointOutcome(
              endpoint,
              DeliveryPhase.Failed,
              503,
              1,
              FanOut.deliveryName("ns", "evt", endpoint),
              ErrorClass.Http5xx));
    }
    WebhookEventStatus s = EventStatuses.compose(outcomes, notes(List.of()), 1L, T0);
    assertThat(KubeJson.serialization().asJson(s).getBytes(StandardCharsets.UTF_8).length)
        .isLessThan(10_000);
    assertThat(s.getFailed()).isEqualTo(5000);
  }
}
