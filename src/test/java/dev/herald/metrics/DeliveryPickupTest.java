package dev.herald.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeliveryPickupTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HeraldMetrics metrics = new HeraldMetrics(registry);
  private final AtomicLong now = new AtomicLong(1_000);
  private final DeliveryPickup pickup = new DeliveryPickup(metrics, now::get);

  @Test
  void eachStageIsTheTimeBetweenItsMarks() {
    pickup.received("shop", "d-1");
    now.addAndGet(ms(5));
    pickup.submitted("shop", "d-1");
    now.addAndGet(ms(70));
    pickup.started("shop", "d-1");
    now.addAndGet(ms(25));
    pickup.sent("shop", "d-1");

    assertThat(millis("shop", "dispatch")).isEqualTo(5);
    assertThat(millis("shop", "queue")).isEqualTo(70);
    assertThat(millis("shop", "reconcile")).isEqualTo(25);
    assertThat(millis("shop", "total")).isEqualTo(100);
    assertThat(pickup.tracked()).isZero();
  }

  @Test
  void onlyTheFirstReconcileAndTheFirstAttemptCount() {
    pickup.received("shop", "d-1");
    pickup.received("shop", "d-1"); // a second event before the reconcile keeps the first mark
    now.addAndGet(ms(10));
    pickup.submitted("shop", "d-1");
    pickup.started("shop", "d-1");
    now.addAndGet(ms(40)); // waited for a slot, then a second reconcile sent it
    pickup.submitted("shop", "d-1");
    pickup.started("shop", "d-1");
    pickup.sent("shop", "d-1");
    pickup.sent("shop", "d-1"); // a retry is no pickup

    assertThat(timer("shop", "total").count()).isEqualTo(1);
    assertThat(millis("shop", "total")).isEqualTo(50);
    assertThat(millis("shop", "reconcile")).isEqualTo(40);
  }

  @Test
  void marksWithoutTheEventBeforeThemAreIgnored() {
    pickup.submitted("shop", "old"); // a delivery that already had a status: never received
    pickup.started("shop", "old");
    pickup.sent("shop", "old");
    pickup.received("shop", "direct");
    pickup.sent("shop", "direct"); // sent without passing the pool
    assertThat(registry.find("herald.delivery.pickup").timers()).isEmpty();
  }

  @Test
  void deliveriesNeverSentDoNotGrowWithoutBound() {
    for (int i = 0; i < DeliveryPickup.MAX_TRACKED + 10; i++) {
      pickup.received("shop", "never-" + i);
    }
    assertThat(pickup.tracked()).isLessThanOrEqualTo(DeliveryPickup.MAX_TRACKED);
  }

  private Timer timer(String namespace, String stage) {
    return registry
        .get("herald.delivery.pickup")
        .tags("namespace", namespace, "stage", stage)
        .timer();
  }

  private long millis(String namespace, String stage) {
    return Math.round(timer(namespace, stage).totalTime(TimeUnit.MILLISECONDS));
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
