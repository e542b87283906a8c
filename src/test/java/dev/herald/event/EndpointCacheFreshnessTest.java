package dev.herald.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.kube.MetadataLists;
import dev.herald.testing.ManualClock;
import dev.herald.testing.Resources;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An event is published only once the endpoints' cache holds every endpoint written before it. */
class EndpointCacheFreshnessTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));

  /** What the operator's cache holds, by uid. */
  private final Set<String> cached = new HashSet<>();

  /** What the API server holds: its version and the endpoints' uids. */
  private String serverVersion = "100";

  private final Set<String> onServer = new HashSet<>();

  /** The namespace of each list. */
  private final List<String> lists = new ArrayList<>();

  private KubernetesClientException failure;

  private final EndpointCacheFreshness freshness =
      new EndpointCacheFreshness(
          namespace -> Set.copyOf(cached),
          namespace -> {
            lists.add(namespace);
            if (failure != null) {
              throw failure;
            }
            return new MetadataLists.Listed(serverVersion, Set.copyOf(onServer));
          },
          clock);

  private static WebhookEvent event(String uid, String version) {
    WebhookEvent event = new WebhookEvent();
    event.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("ns")
            .withName("ev-" + uid)
            .withUid(uid)
            .withResourceVersion(version)
            .build());
    return event;
  }

  private void cacheTakesIn(String uid, String version) {
    WebhookEndpoint endpoint = Resources.endpoint("ns", "ep-" + uid, "https://x.example/", "1m");
    endpoint.getMetadata().setUid(uid);
    endpoint.getMetadata().setResourceVersion(version);
    cached.add(uid);
    onServer.add(uid);
    freshness.observed(endpoint);
  }

  @Test
  void anEventWrittenBeforeAnEndpointVersionTheCacheHasSeenNeedsNoList() {
    cacheTakesIn("a", "50");

    assertThat(freshness.holdsEndpointsFor(event("e1", "49"))).isTrue();
    assertThat(freshness.holdsEndpointsFor(event("e2", "50"))).isTrue();
    assertThat(lists).isEmpty();
  }

  @Test
  void oneListAnswersForEveryEventWrittenBeforeIt() {
    cacheTakesIn("a", "50");

    assertThat(freshness.holdsEndpointsFor(event("e1", "60"))).isTrue();
    assertThat(freshness.holdsEndpointsFor(event("e2", "99"))).isTrue();
    assertThat(freshness.holdsEndpointsFor(event("e3", "100"))).isTrue();
    assertThat(lists).containsExactly("ns");

    assertThat(freshness.holdsEndpointsFor(event("e4", "101"))).isTrue();
    assertThat(lists).containsExactly("ns", "ns");
  }

  @Test
  void anEndpointTheServerHasAndTheCacheNotYetHoldsTheEventBackUntilItArrives() {
    cacheTakesIn("a", "50");
    onServer.add("b"); // created just before the event; its watch event is on its way

    WebhookEvent event = event("e1", "61");
    assertThat(freshness.holdsEndpointsFor(event)).isFalse();
    clock.advance(EndpointCacheFreshness.RECHECK);
    assertThat(freshness.holdsEndpointsFor(event)).isFalse();

    cacheTakesIn("b", "60");
    assertThat(freshness.holdsEndpointsFor(event)).isTrue();
    assertThat(lists).containsExactly("ns", "ns", "ns");
  }

  @Test
  void anEndpointTheCacheNeverGetsHoldsTheEventBackForMaxWaitOnly() {
    onServer.add("b");
    WebhookEvent event = event("e1", "61");

    assertThat(freshness.holdsEndpointsFor(event)).isFalse();
    clock.advance(EndpointCacheFreshness.MAX_WAIT.minusMillis(1));
    assertThat(freshness.holdsEndpointsFor(event)).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(freshness.holdsEndpointsFor(event)).isTrue();
    // and a later wait of another event counts from its own start
    WebhookEvent next = event("e2", "62");
    assertThat(freshness.holdsEndpointsFor(next)).isFalse();
  }

  @Test
  void anEndpointTheCacheHoldsAndTheServerNoLongerHasDoesNotHoldAnEventBack() {
    cacheTakesIn("a", "50");
    onServer.remove("a"); // deleted; the cache learns it a moment later

    assertThat(freshness.holdsEndpointsFor(event("e1", "61"))).isTrue();
  }

  @Test
  void aListTheServerRefusesPublishesToTheCachedEndpoints() {
    failure = new KubernetesClientException("Service Unavailable", 503, null);

    assertThat(freshness.holdsEndpointsFor(event("e1", "61"))).isTrue();
    // and proves nothing: the next event is checked again
    failure = null;
    onServer.add("b");
    assertThat(freshness.holdsEndpointsFor(event("e2", "62"))).isFalse();
  }

  @Test
  void versionsThatAreNotNumbersAreCheckedEveryTime() {
    serverVersion = "opaque";
    assertThat(freshness.holdsEndpointsFor(event("e1", "x1"))).isTrue();
    assertThat(freshness.holdsEndpointsFor(event("e2", "x1"))).isTrue();
    assertThat(lists).containsExactly("ns", "ns");
  }

  @Test
  void namespacesAreKnownApart() {
    cacheTakesIn("a", "50");
    WebhookEvent other = event("e1", "40");
    other.getMetadata().setNamespace("other");

    assertThat(freshness.holdsEndpointsFor(other)).isTrue();
    assertThat(lists).containsExactly("other");
  }
}
