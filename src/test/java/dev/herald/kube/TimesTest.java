package dev.herald.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimesTest {

  @Test
  void readsWhatTheGeneralParserReads() {
    SplittableRandom random = new SplittableRandom(12);
    for (int i = 0; i < 20_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextLong(-62_135_596_800L, 253_402_300_799L), random.nextInt(1_000_000_000));
      String full = instant.toString();
      // the API server's seconds, Herald's milliseconds, microseconds, and every length between
      String seconds = full.substring(0, 19) + "Z";
      assertThat(Times.parse(seconds)).isEqualTo(Instant.parse(seconds));
      int digits = 1 + random.nextInt(9);
      String fraction = String.format("%09d", instant.getNano()).substring(0, digits);
      String withFraction = seconds.substring(0, 19) + "." + fraction + "Z";
      assertThat(Times.parse(withFraction)).isEqualTo(Instant.parse(withFraction));
      assertThat(Times.parse(Times.format(instant)))
          .isEqualTo(Instant.parse(Times.format(instant)));
    }
  }

  @Test
  void leavesEveryOtherShapeToTheGeneralParser() {
    for (String text :
        new String[] {
          "2026-12-02T17:09:43+01:00",
          "2026-12-31T23:59:60Z",
          "+12026-12-02T17:09:43Z",
          "2026-12-02T24:00:00Z",
          "2026-12-02T17:09:43.Z",
        }) {
      assertThat(Times.parseUtc(text)).isNull();
      assertThat(Times.parse(text)).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void refusesWhatTheGeneralParserRefuses() {
    for (String text :
        new String[] {
          "2026-02-30T10:00:00Z",
          "2026-13-01T10:00:00Z",
          "2026-12-02T17:61:00Z",
          "2026-12-02T17:09:43.1234567890Z",
          "2026-12-02 17:09:43Z",
          "2026-12-0xT17:09:43Z",
          "2026-12-02T17:09:43",
        }) {
      assertThat(Times.parseUtc(text)).as(text).isNull();
      assertThatThrownBy(() -> Times.parse(text))
          .as(text)
          .isInstanceOf(DateTimeParseException.class);
    }
  }

  @Test
  void blankIsAbsent() {
    assertThat(Times.parse(null)).isNull();
    assertThat(Times.parse(" ")).isNull();
  }
}
