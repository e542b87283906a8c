package dev.herald.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.Schemas;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A digest lists every endpoint and delivery of its namespace at each run: never more often than
 * once a minute.
 */
class DigestIntervalTest {
  private static final Duration FLOOR = Duration.ofMinutes(1);

  @ParameterizedTest
  @ValueSource(strings = {"1ms", "0s", "59s", "59999ms", "0.5m", "30s29s"})
  void anIntervalUnderAMinuteIsRefused(String text) {
    assertThatThrownBy(() -> DigestCadence.interval(text, FLOOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1m")
        .hasMessageContaining(text);
  }

  @Test
  void theDefaultIsADayAndAMinuteIsEnough() {
    assertThat(DigestCadence.interval(null, FLOOR)).isEqualTo(Duration.ofHours(24));
    assertThat(DigestCadence.interval("1m", FLOOR)).isEqualTo(FLOOR);
    assertThat(DigestCadence.interval("60000ms", FLOOR)).isEqualTo(FLOOR);
  }

  /** The CRD's pattern admits only intervals the operator accepts. */
  @ParameterizedTest
  @ValueSource(strings = {"1m", "24h", "1h30m", "60s", "90s", "60000ms", "0s1m", "1.5m"})
  void whatTheSchemaAdmitsTheOperatorAccepts(String text) {
    assertThat(Pattern.matches(Schemas.DURATION_AT_LEAST_1M, text)).as(text).isTrue();
    assertThat(DigestCadence.interval(text, FLOOR)).isGreaterThanOrEqualTo(FLOOR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1ms", "59s", "59999ms", "0m", "100ms", "1s", "0.5m"})
  void theSchemaRefusesIntervalsUnderAMinute(String text) {
    assertThat(Pattern.matches(Schemas.DURATION_AT_LEAST_1M, text)).as(text).isFalse();
  }
}
