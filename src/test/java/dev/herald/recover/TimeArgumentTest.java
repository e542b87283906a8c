package dev.herald.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeArgumentTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  @Test
  void rfc3339WithZoneOrOffset() {
    assertThat(TimeArgument.parse("2026-12-02T09:00:00Z", NOW))
        .isEqualTo(Instant.parse("2026-12-02T09:00:00Z"));
    assertThat(TimeArgument.parse("2026-12-02T10:00:00+01:00", NOW))
        .isEqualTo(Instant.parse("2026-12-02T09:00:00Z"));
    assertThat(TimeArgument.parse("2026-12-02t09:00:00.250z", NOW))
        .isEqualTo(Instant.parse("2026-12-02T09:00:00.250Z"));
  }

  @Test
  void aDateIsMidnightUtc() {
    assertThat(TimeArgument.parse("2026-12-01", NOW))
        .isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
  }

  @Test
  void aDurationCountsBackFromNow() {
    assertThat(TimeArgument.parse("90m", NOW)).isEqualTo(Instant.parse("2026-12-02T10:30:00Z"));
    assertThat(TimeArgument.parse("1h30m", NOW)).isEqualTo(Instant.parse("2026-12-02T10:30:00Z"));
  }

  @Test
  void anythingElseNamesTheAcceptedForms() {
    for (String bad : new String[] {"", "yesterday", "2026-13-01", "2026-12-02T25:00:00Z", "-2h"}) {
      assertThatThrownBy(() -> TimeArgument.parse(bad, NOW))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> TimeArgument.parse("yesterday", NOW))
        .hasMessageContaining("RFC 3339")
        .hasMessageContaining("90m");
  }
}
