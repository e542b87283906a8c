package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
  // Sun, 06 Nov 1994 08:49:37 GMT, the example instant of RFC 9110.
  static final Instant NOW = Instant.parse("1994-11-06T08:47:37Z");

  @Test
  void deltaSeconds() {
    assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
  }

  @Test
  void allThreeHttpDateFormsAreRead() {
    Duration twoMinutes = Duration.ofSeconds(120);
    assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).contains(twoMinutes);
    assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).contains(twoMinutes);
    assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW)).contains(twoMinutes);
  }

  @Test
  void rfc850YearsMoreThanFiftyYearsAheadBelongToTheLastCentury() {
    Instant in2030 = Instant.parse("2030-01-01T00:00:00Z");

    assertThat(RetryAfter.parse("Monday, 06-Jan-30 00:01:00 GMT", in2030))
        .contains(Duration.ofDays(5).plusMinutes(1));
    // "94" seen from 2030 is 1994, long past: retry now rather than in 64 years.
    assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", in2030)).contains(Duration.ZERO);
  }

  @Test
  void aDateAlreadyPastMeansRetryNow() {
    assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW.plusSeconds(3600)))
        .contains(Duration.ZERO);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "-5",
        "1.5",
        "soon",
        "120s",
        "99999999999999999999",
        "Sun, 32 Nov 1994 08:49:37 GMT"
      })
  void negativeOrGarbageGivesNothing(String value) {
    assertThat(RetryAfter.parse(value, NOW)).isEmpty();
  }
}
