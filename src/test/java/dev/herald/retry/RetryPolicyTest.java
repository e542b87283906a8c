package dev.herald.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.RetrySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static RetrySpec spec(List<String> schedule, String maxAge) {
    RetrySpec spec = new RetrySpec();
    spec.setSchedule(schedule);
    spec.setMaxAge(maxAge);
    return spec;
  }

  @Test
  void absentRetrySpecIsTheDefaultWithoutAgeLimit() {
    RetryPolicy p = RetryPolicy.from(null);

    assertThat(p.schedule()).isEqualTo(RetrySchedule.DEFAULT);
    assertThat(p.schedule().entries())
        .containsExactly("1m", "5m", "30m", "2h", "12h", "24h", "48h", "72h");
    assertThat(p.maxAge()).isNull();
    assertThat(p.maxAttempts()).isEqualTo(9);
  }

  @Test
  void absentScheduleIsTheDefaultButMaxAgeIsKept() {
    RetryPolicy p = RetryPolicy.from(spec(null, "24h"));

    assertThat(p.schedule()).isEqualTo(RetrySchedule.DEFAULT);
    assertThat(p.maxAge()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void emptyScheduleMeansOneAttemptOnly() {
    RetryPolicy p = RetryPolicy.from(spec(List.of(), null));

    assertThat(p.maxAttempts()).isEqualTo(1);
  }

  @Test
  void scheduleAndMaxAgeAreParsed() {
    RetryPolicy p = RetryPolicy.from(spec(List.of("10m x144"), "1h30m"));

    assertThat(p.maxAttempts()).isEqualTo(145);
    assertThat(p.maxAge()).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void maxAttemptsFitsAnIntForTheLargestSchedule() {
    List<String> entries = new ArrayList<>(Collections.nCopies(21_475, "1s x99999"));
    entries.add("1s x5121");

    assertThat(RetryPolicy.from(spec(entries, null)).maxAttempts()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void badValuesNameTheFieldAndTheValue() {
    assertThatThrownBy(() -> RetryPolicy.from(spec(List.of("1m", "5 minutes"), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.retry.schedule")
        .hasMessageContaining("\"5 minutes\"");
    assertThatThrownBy(() -> RetryPolicy.from(spec(null, "1 day")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.retry.maxAge")
        .hasMessageContaining("\"1 day\"");
  }

  @Test
  void constructorRejectsNonsense() {
    assertThatThrownBy(() -> new RetryPolicy(null, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new RetryPolicy(RetrySchedule.DEFAULT, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theMannersAreParsed() {
    RetrySpec spec = spec(List.of("1m"), null);
    spec.setJitter("20%");
    spec.setOverloadMinDelay("60s");
    spec.setRetryAfterMax("10m");

    RetryPolicy p = RetryPolicy.from(spec);

    assertThat(p.jitterPercent()).isEqualTo(20);
    assertThat(p.overloadMinDelay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.retryAfterMax()).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.retryAfterCap()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void jitterIsAWholePercentageFromZeroToFifty() {
    for (String ok : List.of("0%", "5%", "20%", "49%", "50%")) {
      RetrySpec spec = spec(null, null);
      spec.setJitter(ok);
      assertThat(RetryPolicy.from(spec).jitterPercent())
          .isEqualTo(Integer.parseInt(ok.replace("%", "")));
    }
    for (String bad : List.of("51%", "100%", "-5%", "20", "0.2", "05%", "20 %", "")) {
      RetrySpec spec = spec(null, null);
      spec.setJitter(bad);
      assertThatThrownBy(() -> RetryPolicy.from(spec))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("spec.retry.jitter: ");
    }
  }

  @Test
  void badMannerDurationsNameTheirField() {
    RetrySpec min = spec(null, null);
    min.setOverloadMinDelay("a minute");
    assertThatThrownBy(() -> RetryPolicy.from(min))
        .hasMessageStartingWith("spec.retry.overloadMinDelay: ");
    RetrySpec cap = spec(null, null);
    cap.setRetryAfterMax("-1s");
    assertThatThrownBy(() -> RetryPolicy.from(cap))
        .hasMessageStartingWith("spec.retry.retryAfterMax: ");
  }
}
