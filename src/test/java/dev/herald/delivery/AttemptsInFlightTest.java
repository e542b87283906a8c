package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slots overall and per endpoint, and deliveries woken in turn when a slot frees instead of
 * polling.
 */
class AttemptsInFlightTest {
  private final List<ResourceID> woken = new ArrayList<>();

  private AttemptsInFlight slots(int overall, int perEndpoint) {
    AttemptsInFlight attempts = new AttemptsInFlight(overall, perEndpoint);
    attempts.onSlotFree(woken::add);
    return attempts;
  }

  private static ResourceID id(String name) {
    return new ResourceID(name, "shop");
  }

  @Test
  void aFullEndpointQueuesItsDeliveriesAndWakesTheOldestFirst() {
    AttemptsInFlight attempts = slots(10, 1);
    assertThat(attempts.tryAcquire("ep-a", id("a-1"))).isTrue();
    assertThat(attempts.tryAcquire("ep-a", id("a-2"))).isFalse();
    assertThat(attempts.tryAcquire("ep-a", id("a-3"))).isFalse();
    assertThat(attempts.tryAcquire("ep-a", id("a-2"))).as("asking again keeps its place").isFalse();
    assertThat(attempts.tryAcquire("ep-b", id("b-1")))
        .as("another endpoint is not held up")
        .isTrue();
    assertThat(attempts.waiting()).isEqualTo(2);

    attempts.release("ep-a");
    assertThat(woken).containsExactly(id("a-2"));
    assertThat(attempts.tryAcquire("ep-a", id("a-2"))).isTrue();
    attempts.release("ep-a");
    assertThat(woken).containsExactly(id("a-2"), id("a-3"));
    assertThat(attempts.waiting()).isZero();
  }

  @Test
  void theOverallLimitQueuesAcrossEndpoints() {
    AttemptsInFlight attempts = slots(2, 5);
    assertThat(attempts.tryAcquire("ep-a", id("a-1"))).isTrue();
    assertThat(attempts.tryAcquire("ep-b", id("b-1"))).isTrue();
    assertThat(attempts.tryAcquire("ep-c", id("c-1"))).isFalse();

    attempts.release("ep-a");
    assertThat(woken).containsExactly(id("c-1"));
    assertThat(attempts.tryAcquire("ep-c", id("c-1"))).isTrue();
  }

  @Test
  void theOverallLineIsServedRoundRobinPerNamespace() {
    AttemptsInFlight attempts = slots(2, 5);
    assertThat(attempts.tryAcquire("noisy-ep-0", new ResourceID("n-0", "noisy"))).isTrue();
    assertThat(attempts.tryAcquire("noisy-ep-1", new ResourceID("n-1", "noisy"))).isTrue();
    for (int i = 2; i < 100; i++) {
      assertThat(attempts.tryAcquire("noisy-ep-" + i % 10, new ResourceID("n-" + i, "noisy")))
          .isFalse();
    }
    assertThat(attempts.tryAcquire("quiet-ep", new ResourceID("q-0", "quiet"))).isFalse();

    attempts.release("noisy-ep-0");
    attempts.release("noisy-ep-1");

    // first come, first served would wake q-0 after the 98 noisy deliveries queued before it
    assertThat(woken)
        .containsExactly(new ResourceID("n-2", "noisy"), new ResourceID("q-0", "quiet"));
  }

  @Test
  void aReleaseWithNobodyWaitingWakesNobody() {
    AttemptsInFlight attempts = slots(2, 2);
    assertThat(attempts.tryAcquire("ep-a", id("a-1"))).isTrue();
    attempts.release("ep-a");
    assertThat(woken).isEmpty();
  }
}
