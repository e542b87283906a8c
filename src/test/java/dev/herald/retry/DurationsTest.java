package dev.herald.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.Schemas;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "0s, PT0S",
    "0ms, PT0S",
    "500ms, PT0.5S",
    "30s, PT30S",
    "1m, PT1M",
    "1h, PT1H",
    "1h30m, PT1H30M",
    "1.5h, PT1H30M",
    "1.5s, PT1.5S",
    "0.5ms, PT0.0005S",
    "90m, PT1H30M",
    "72h, PT72H",
    "2h45m30s250ms, PT2H45M30.25S",
    // components may repeat and come in any order, as in Go
    "1s1s, PT2S",
    "30s1h, PT1H30S",
    "01m, PT1M",
    // finer than a nanosecond: truncated, as Go does
    "1.0000000019s, PT1.000000001S",
  })
  void parsesGoStyleDurations(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        " ",
        "10",
        "0",
        "5 minutes",
        "5m ",
        " 5m",
        "-1s",
        "+1s",
        "1d",
        "1ns",
        "1us",
        "1H",
        "1.s",
        ".5s",
        "1m x2",
        "1h-30m",
        "s",
        "1,5s",
        "30s\n"
      })
  void rejectsAnythingElseQuotingTheValue(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text == null ? "null" : "\"" + text + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "5 minutes", "-1s", "1d", "1.s"})
  void rejectsExactlyWhatTheCrdSchemaRejects(String text) {
    assertThat(Pattern.matches(Schemas.DURATION, text)).isFalse();
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsDurationsBeyondGosMaximum() {
    assertThat(Durations.parse("2562047h47m16.854775807s"))
        .isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    assertThatThrownBy(() -> Durations.parse("2562047h47m16.854775808s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"2562047h47m16.854775808s\"")
        .hasMessageContaining("maximum");
    assertThatThrownBy(() -> Durations.parse("99999999999999999999999h"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{1} -> {0}")
  @CsvSource({
    "0s, PT0S",
    "30s, PT30S",
    "1m, PT1M",
    "1h30m, PT1H30M",
    "1h30s, PT1H30S",
    "1.5s, PT1.5S",
    "500ms, PT0.5S",
    "1h500ms, PT1H0.5S",
    "0.000001ms, PT0.000000001S",
    "72h, PT72H",
    "10m1.000000001s, PT10M1.000000001S",
  })
  void formatsCompactly(String expected, Duration d) {
    assertThat(Durations.format(d)).isEqualTo(expected);
  }

  @Test
  void formatIsTheInverseOfParse() {
    Duration[] samples = {
      Duration.ZERO,
      Duration.ofNanos(1),
      Duration.ofMillis(1500),
      Duration.ofMinutes(90),
      Duration.ofSeconds(30),
      Duration.ofHours(24),
      Duration.ofSeconds(86_399, 999_999_999),
      Duration.ofSeconds(10, 100),
      Duration.ofNanos(Long.MAX_VALUE),
    };
    for (Duration d : samples) {
      String text = Durations.format(d);
      assertThat(text).as("format(%s)", d).matches(Schemas.DURATION);
      assertThat(Durations.parse(text)).as("parse(\"%s\")", text).isEqualTo(d);
    }
  }

  @Test
  void parseThenFormatNormalises() {
    assertThat(Durations.format(Durations.parse("90m"))).isEqualTo("1h30m");
    assertThat(Durations.format(Durations.parse("60s"))).isEqualTo("1m");
    assertThat(Durations.format(Durations.parse("1.5h"))).isEqualTo("1h30m");
  }

  @Test
  void formatRejectsWhatParseCouldNeverReturn() {
    assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> Durations.format(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
