package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How soon retention comes back: the sooner, the less piles up over the budget meanwhile. */
class FinishedDeliveriesPassTest {
  private static final Duration EVERY = Duration.ofSeconds(10);

  @Test
  void nothingDueWaitsTheWholeInterval() {
    assertThat(FinishedDeliveries.nextPass(0, EVERY)).isEqualTo(EVERY);
  }

  @Test
  void someDueComesBackWithinASecondSinceMoreFinishMeanwhile() {
    // at 70 deliveries a second beyond the budget, a 10 s wait let 700 more pile up each time
    assertThat(FinishedDeliveries.nextPass(1, EVERY)).isEqualTo(FinishedDeliveries.STILL_DUE);
    assertThat(FinishedDeliveries.nextPass(HistoryLimits.BATCH - 1, EVERY))
        .isEqualTo(FinishedDeliveries.STILL_DUE);
  }

  @Test
  void aWholeBatchIsFollowedByTheNextAtOnceAlmost() {
    assertThat(FinishedDeliveries.nextPass(HistoryLimits.BATCH, EVERY))
        .isEqualTo(FinishedDeliveries.CATCH_UP);
  }

  @Test
  void neverLaterThanTheConfiguredInterval() {
    Duration often = Duration.ofMillis(50);
    assertThat(FinishedDeliveries.nextPass(1, often)).isEqualTo(often);
    assertThat(FinishedDeliveries.nextPass(HistoryLimits.BATCH, often)).isEqualTo(often);
  }
}
