package dev.herald.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.WebhookDelivery;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.timer.TimerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReconcileThreadsTest {
  /**
   * The cause, in JOSDK's timer itself: a reschedule (the reconcile thread) racing the deletion of
   * its resource (the informer's thread). If this ever stops reproducing, JOSDK fixed it and {@link
   * ReconcileThreads} can go.
   */
  static IllegalStateException reproduceTimerRace() throws InterruptedException {
    TimerEventSource<WebhookDelivery> timer = new TimerEventSource<>("race", false);
    timer.start();
    WebhookDelivery delivery = new WebhookDelivery();
    delivery.setMetadata(new ObjectMetaBuilder().withName("d").withNamespace("ns").build());
    ResourceID id = ResourceID.fromResource(delivery);
    AtomicReference<IllegalStateException> raced = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    Thread informer =
        new Thread(
            () -> {
              while (!done.get()) {
                timer.onResourceDeleted(delivery);
              }
            });
    informer.start();
    Instant until = Instant.now().plus(Duration.ofSeconds(20));
    try {
      while (raced.get() == null && Instant.now().isBefore(until)) {
        try {
          timer.scheduleOnce(id, 60_000);
        } catch (IllegalStateException e) {
          raced.set(e);
        }
      }
    } finally {
      done.set(true);
      informer.join();
      timer.stop();
    }
    return raced.get();
  }

  @Test
  void jOsdksTimerRefusesATaskTheDeletionCancelledAndTheGuardDropsExactlyThat() throws Exception {
    IllegalStateException race = reproduceTimerRace();
    assertThat(race)
        .as("the race in JOSDK 5.2.3's TimerEventSource")
        .isNotNull()
        .hasMessage(ReconcileThreads.TIMER_RACE);
    assertThat(ReconcileThreads.isDeletionRace(race)).isTrue();

    ReconcileThreads.guarded(
            () -> {
              throw race;
            })
        .run();
  }

  @Test
  void everyOtherExceptionStillEscapes() {
    IllegalStateException other =
        new IllegalStateException(ReconcileThreads.TIMER_RACE); // same text, not from JOSDK's timer
    assertThatThrownBy(
            () ->
                ReconcileThreads.guarded(
                        () -> {
                          throw other;
                        })
                    .run())
        .isSameAs(other);
    IllegalStateException different =
        new IllegalStateException("The TimerEventSource is not running");
    assertThatThrownBy(
            () ->
                ReconcileThreads.guarded(
                        () -> {
                          throw different;
                        })
                    .run())
        .isSameAs(different);
  }
}
