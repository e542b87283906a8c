package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointRef;
import dev.herald.api.v1alpha1.HistorySpec;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointSpec;
import dev.herald.retention.Evictions;
import dev.herald.retention.FinishedBudget;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HistorySweeperTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @Test
  void deletesExpiredAndBeyondKeepPerEndpoint() {
    var endpoints = endpoints(Map.of("billing", history("1h", 2), "audit", history("10m", 100)));
    List<WebhookDelivery> finished =
        List.of(
            finished("b-old", "billing", NOW.minus(Duration.ofMinutes(50))),
            finished("b-mid", "billing", NOW.minus(Duration.ofMinutes(40))),
            finished("b-new", "billing", NOW.minus(Duration.ofMinutes(30))),
            finished("b-expired", "billing", NOW.minus(Duration.ofHours(2))),
            finished("a-expired", "audit", NOW.minus(Duration.ofMinutes(11))),
            finished("a-fresh", "audit", NOW.minus(Duration.ofMinutes(9))));
    // billing: b-expired is past its ttl; of the other three, keep 2 leaves b-old beyond keep
    assertThat(names(HistorySweeper.due(finished, endpoints, NOW)))
        .containsExactlyInAnyOrder("b-expired", "a-expired", "b-old");
  }

  @Test
  void aDeletedEndpointsDeliveriesFollowTheDefaults() {
    List<WebhookDelivery> finished = new ArrayList<>();
    finished.add(finished("gone-old", "gone", NOW.minus(Duration.ofHours(169))));
    finished.add(finished("gone-recent", "gone", NOW.minus(Duration.ofHours(1))));
    assertThat(names(HistorySweeper.due(finished, endpoints(Map.of()), NOW)))
        .containsExactly("gone-old");
  }

  @Test
  void atMostOneBatchPerPass() {
    List<WebhookDelivery> finished = new ArrayList<>();
    for (int i = 0; i < 3 * HistoryLimits.BATCH; i++) {
      finished.add(finished("d" + i, "billing", NOW.minus(Duration.ofHours(2)).plusSeconds(i)));
    }
    assertThat(HistorySweeper.due(finished, endpoints(Map.of("billing", history("1h", 100))), NOW))
        .hasSize(HistoryLimits.BATCH);
  }

  @Test
  void aDeliveryAboutToBeReplayedIsLeftAlone() {
    WebhookDelivery replayed = finished("replayed", "billing", NOW.minus(Duration.ofHours(2)));
    replayed.getMetadata().setAnnotations(Map.of(Herald.ANNOTATION_REPLAY, "again"));
    WebhookDelivery acted = finished("acted", "billing", NOW.minus(Duration.ofHours(2)));
    acted.getMetadata().setAnnotations(Map.of(Herald.ANNOTATION_REPLAY, "once"));
    acted.getStatus().setObservedReplay("once");
    assertThat(
            names(
                HistorySweeper.due(
                    List.of(replayed, acted),
                    endpoints(Map.of("billing", history("1h", 100))),
                    NOW)))
        .containsExactly("acted");
  }

  @Test
  void theBudgetCountsWhatStaysAfterTtlAndKeepAndTakesSucceededOnesFirst() {
    var endpoints = endpoints(Map.of("billing", history("1h", 100)));
    List<WebhookDelivery> finished = new ArrayList<>();
    finished.add(finished("expired", "billing", NOW.minus(Duration.ofHours(2))));
    finished.add(failed("failed-old", "billing", NOW.minus(Duration.ofMinutes(59))));
    for (int i = 0; i < 4; i++) {
      finished.add(finished("ok-" + i, "billing", NOW.minus(Duration.ofMinutes(50 - i))));
    }
    // 5 stay after the TTL; a budget of 3 per namespace takes the two oldest succeeded ones,
    // not the older failed one
    var due = HistorySweeper.due(finished, endpoints, NOW, new FinishedBudget(3, 0));
    assertThat(due)
        .extracting(d -> d.delivery().getMetadata().getName(), HistorySweeper.Due::reason)
        .containsExactly(
            tuple("expired", Evictions.Reason.ttl),
            tuple("ok-0", Evictions.Reason.budget),
            tuple("ok-1", Evictions.Reason.budget));
    assertThat(due.get(1).scope()).isEqualTo(FinishedBudget.Scope.NAMESPACE);
  }

  @Test
  void aPendingReplayIsNotEvictedByTheBudget() {
    var endpoints = endpoints(Map.of("billing", history("1h", 100)));
    WebhookDelivery replaying = finished("replaying", "billing", NOW.minus(Duration.ofMinutes(30)));
    replaying.getMetadata().setAnnotations(Map.of(Herald.ANNOTATION_REPLAY, "1"));
    var due =
        HistorySweeper.due(
            List.of(replaying, finished("ok", "billing", NOW.minus(Duration.ofMinutes(1)))),
            endpoints,
            NOW,
            new FinishedBudget(0, 1));
    assertThat(due).isEmpty();
  }

  @Test
  void atMostOneBatchAPass() {
    var endpoints = endpoints(Map.of("billing", history("1h", 1_000)));
    List<WebhookDelivery> finished = new ArrayList<>();
    int n = 2 * HistoryLimits.BATCH;
    for (int i = 0; i < n; i++) {
      finished.add(finished("ok-" + i, "billing", NOW.minus(Duration.ofSeconds(n - i))));
    }
    assertThat(HistorySweeper.due(finished, endpoints, NOW, new FinishedBudget(10, 0)))
        .hasSize(HistoryLimits.BATCH)
        .first()
        .extracting(d -> d.delivery().getMetadata().getName())
        .isEqualTo("ok-0");
  }

  private static WebhookDelivery failed(String name, String endpoint, Instant completed) {
    WebhookDelivery d = finished(name, endpoint, completed);
    d.getStatus().setPhase(DeliveryPhase.Exhausted);
    return d;
  }

  private static List<String> names(List<WebhookDelivery> deliveries) {
    return deliveries.stream().map(d -> d.getMetadata().getName()).toList();
  }

  static Function<ResourceID, Optional<WebhookEndpoint>> endpoints(
      Map<String, HistorySpec> byName) {
    return id ->
        Optional.ofNullable(byName.get(id.getName()))
            .map(
                h -> {
                  WebhookEndpoint e = new WebhookEndpoint();
                  e.setMetadata(
                      new ObjectMetaBuilder().withNamespace("ns").withName(id.getName()).build());
                  WebhookEndpointSpec spec = new WebhookEndpointSpec();
                  spec.setUrl("https://example.com/hook");
                  spec.setHistory(h);
                  e.setSpec(spec);
                  return e;
                });
  }

  static HistorySpec history(String ttl, int keep) {
    HistorySpec h = new HistorySpec();
    h.setTtlAfterFinished(ttl);
    h.setKeep(keep);
    return h;
  }

  static WebhookDelivery finished(String name, String endpoint, Instant completed) {
    WebhookDelivery d = new WebhookDelivery();
    d.setMetadata(
        new ObjectMetaBuilder().withNamespace("ns").withName(name).withUid("uid-" + name).build());
    WebhookDeliverySpec spec = new WebhookDeliverySpec();
    spec.setEndpointRef(new EndpointRef(endpoint));
    d.setSpec(spec);
    WebhookDeliveryStatus s = new WebhookDeliveryStatus();
    s.setPhase(DeliveryPhase.Succeeded);
    s.setCompletionTime(completed.toString());
    d.setStatus(s);
    return d;
  }
}
