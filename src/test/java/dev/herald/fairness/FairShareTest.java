package dev.herald.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FairShareTest {
  @Test
  void aTenantAloneHoldsEverySlotButTheReserve() {
    FairShare share = FairShare.of(50);

    assertThat(share.reserve()).isEqualTo(5);
    assertThat(share.cap(1)).isEqualTo(45);
    assertThat(share.mayTake(44, 1)).isTrue();
    assertThat(share.mayTake(45, 1)).isFalse();
  }

  @Test
  void busyTenantsShareTheSlotsOutsideTheReserveEqually() {
    FairShare share = FairShare.of(50);

    assertThat(share.cap(2)).isEqualTo(23);
    assertThat(share.cap(3)).isEqualTo(15);
    assertThat(share.cap(45)).isEqualTo(1);
    assertThat(share.cap(1000)).isEqualTo(1); // never none: every tenant moves
    assertThat(share.mayTake(23, 2)).isFalse();
    assertThat(share.mayTake(0, 1000)).isTrue();
  }

  @Test
  void aSingleSlotHasNoReserve() {
    FairShare share = FairShare.of(1);

    assertThat(share.reserve()).isZero();
    assertThat(share.mayTake(0, 1)).isTrue();
    assertThat(share.mayTake(1, 1)).isFalse();
    assertThat(FairShare.of(2).reserve()).isEqualTo(1);
  }

  @Test
  void refusesAReserveThatLeavesNothingToShare() {
    assertThatThrownBy(() -> new FairShare(4, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FairShare(0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
