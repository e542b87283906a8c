package dev.herald.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.RetrySpec;
import dev.herald.api.v1alpha1.Schemas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryScheduleTest {

  @Test
  void plainEntriesAreOneRetryEach() {
    RetrySchedule s = RetrySchedule.parse(List.of("30s", "1h", "6h"));

    assertThat(s.retries()).isEqualTo(3);
    assertThat(s.delayBeforeRetry(1)).contains(Duration.ofSeconds(30));
    assertThat(s.delayBeforeRetry(2)).contains(Duration.ofHours(1));
    assertThat(s.delayBeforeRetry(3)).contains(Duration.ofHours(6));
    assertThat(s.delayBeforeRetry(4)).isEmpty();
    assertThat(s.longestDelay()).isEqualTo(Duration.ofHours(6));
    assertThat(s.entries()).containsExactly("30s", "1h", "6h");
  }

  @Test
  void repeatedEntriesCountEveryRepeat() {
    RetrySchedule s = RetrySchedule.parse(List.of("1m", "60s x3", "2h"));

    assertThat(s.retries()).isEqualTo(5);
    assertThat(s.delayBeforeRetry(1)).contains(Duration.ofMinutes(1));
    assertThat(s.delayBeforeRetry(2)).contains(Duration.ofMinutes(1));
    assertThat(s.delayBeforeRetry(4)).contains(Duration.ofMinutes(1));
    assertThat(s.delayBeforeRetry(5)).contains(Duration.ofHours(2));
    assertThat(s.delayBeforeRetry(6)).isEmpty();
    assertThat(s.entries()).containsExactly("1m", "60s x3", "2h");
  }

  @Test
  void aDelayNeedNotGrow() {
    RetrySchedule s = RetrySchedule.parse(List.of("1h", "1m"));

    assertThat(s.delayBeforeRetry(2)).contains(Duration.ofMinutes(1));
    assertThat(s.longestDelay()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void hugeRepeatCountsAreNotExpanded() {
    List<String> entries = Collections.nCopies(1000, "10m x99999");

    RetrySchedule s = RetrySchedule.parse(entries);

    assertThat(s.retries()).isEqualTo(99_999_000);
    assertThat(s.delayBeforeRetry(99_999_000)).contains(Duration.ofMinutes(10));
    assertThat(s.delayBeforeRetry(99_999_001)).isEmpty();
  }

  @Test
  void retriesThatWouldOverflowTheAttemptCounterAreRejected() {
    List<String> entries = new ArrayList<>(Collections.nCopies(21_476, "1s x99999"));

    assertThatThrownBy(() -> RetrySchedule.parse(entries))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too many retries")
        .hasMessageContaining("[21475] \"1s x99999\"");
  }

  @Test
  void theLargestRetryCountStillLeavesRoomForTheFirstAttempt() {
    List<String> entries = new ArrayList<>(Collections.nCopies(21_475, "1s x99999"));
    entries.add("1s x5121");

    RetrySchedule s = RetrySchedule.parse(entries);

    assertThat(s.retries()).isEqualTo(Integer.MAX_VALUE - 1);
  }

  @Test
  void emptyScheduleMeansNoRetries() {
    RetrySchedule s = RetrySchedule.parse(List.of());

    assertThat(s.retries()).isZero();
    assertThat(s.delayBeforeRetry(1)).isEmpty();
    assertThat(s.longestDelay()).isEqualTo(Duration.ZERO);
    assertThat(s.entries()).isEmpty();
  }

  @Test
  void defaultIsTheCrdDefault() {
    RetrySchedule s = RetrySchedule.DEFAULT;

    assertThat(s.entries()).isEqualTo(RetrySpec.DEFAULT_SCHEDULE);
    assertThat(s.retries()).isEqualTo(8);
    assertThat(s.longestDelay()).isEqualTo(Duration.ofHours(72));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10",
        "60s x0",
        "60s x100000",
        "60s x01",
        "60s x-1",
        "60sx10",
        "60s  x10",
        "60s x 10",
        "x10",
        "1d",
        "60 s",
        "-1m",
        "1m x10 x2",
        "2562047h47m17s"
      })
  void rejectsABadEntryNamingIt(String bad) {
    List<String> entries = List.of("1m", bad, "5m");

    assertThatThrownBy(() -> RetrySchedule.parse(entries))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[1] \"" + bad + "\"");
  }

  @Test
  void rejectsNulls() {
    assertThatThrownBy(() -> RetrySchedule.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
    assertThatThrownBy(() -> RetrySchedule.parse(Arrays.asList("1m", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[1] null");
  }

  @Test
  void acceptsTheLargestRepeatCount() {
    assertThat(RetrySchedule.parse(List.of("1s x99999")).retries()).isEqualTo(99_999);
    assertThat(RetrySchedule.parse(List.of("1s x1")).retries()).isEqualTo(1);
  }

  @Test
  void retryNumbersAreOneBased() {
    assertThatThrownBy(() -> RetrySchedule.DEFAULT.delayBeforeRetry(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void entriesCannotBeChangedFromOutside() {
    List<String> input = new ArrayList<>(List.of("1m"));
    RetrySchedule s = RetrySchedule.parse(input);
    input.add("5m");

    assertThat(s.entries()).containsExactly("1m");
    assertThat(s.retries()).isEqualTo(1);
    assertThatThrownBy(() -> s.entries().add("1h"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void schedulesThatRetryAlikeAreEqual() {
    assertThat(RetrySchedule.parse(List.of("1m", "60s", "5m")))
        .isEqualTo(RetrySchedule.parse(List.of("1m x2", "300s")))
        .hasSameHashCodeAs(RetrySchedule.parse(List.of("1m x2", "300s")))
        .isNotEqualTo(RetrySchedule.parse(List.of("1m x3", "5m")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s x99999", "0s", "500ms", "999ms", "0.5s", "0.999s", "0m", "0h0m0s"})
  void refusesDelaysUnderOneSecond(String tooShort) {
    assertThatThrownBy(() -> RetrySchedule.parse(List.of("1m", tooShort)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[1] \"" + tooShort + "\"")
        .hasMessageContaining("at least 1s");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1s", "1000ms", "1.5s", "0.5s500ms", "1s x99999"})
  void acceptsDelaysOfOneSecondOrMore(String entry) {
    assertThat(RetrySchedule.parse(List.of(entry)).delayBeforeRetry(1))
        .hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(RetrySchedule.MIN_DELAY));
  }

  /** What the CRD's pattern admits, the operator accepts too: never a delay under one second. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "1s",
        "1000ms",
        "1.5s",
        "01s",
        "1m30s",
        "500ms1s",
        "0s1h",
        "1s x99999",
        "90s x10",
        "00001000ms"
      })
  void whatTheSchemaAdmitsTheOperatorAccepts(String entry) {
    assertThat(Pattern.matches(Schemas.SCHEDULE_ENTRY_AT_LEAST_1S, entry))
        .as("admitted: %s", entry)
        .isTrue();
    assertThat(RetrySchedule.parse(List.of(entry)).delayBeforeRetry(1))
        .hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(RetrySchedule.MIN_DELAY));
  }

  /**
   * Too short for the schema; "0.5m" is a stricter spelling rule of the schema only (write 30s).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"0s", "0s x99999", "0.9s", "999ms", "0000999ms", "100ms x3", "0m0s", "0.5m"})
  void theSchemaRefusesDelaysItCannotProveAreASecond(String entry) {
    assertThat(Pattern.matches(Schemas.SCHEDULE_ENTRY_AT_LEAST_1S, entry))
        .as("refused: %s", entry)
        .isFalse();
  }
}
