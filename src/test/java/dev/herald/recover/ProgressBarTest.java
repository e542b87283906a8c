package dev.herald.recover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void fillsInProportionWithAlignedCounts() {
    assertThat(ProgressBar.render(0, 200, 10)).isEqualTo("[..........]   0/200   0%");
    assertThat(ProgressBar.render(50, 200, 10)).isEqualTo("[##........]  50/200  25%");
    assertThat(ProgressBar.render(200, 200, 10)).isEqualTo("[##########] 200/200 100%");
  }

  @Test
  void nothingToDoIsComplete() {
    assertThat(ProgressBar.render(0, 0, 4)).isEqualTo("[####] 0/0 100%");
  }
}
