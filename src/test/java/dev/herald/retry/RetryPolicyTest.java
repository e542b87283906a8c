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
}
