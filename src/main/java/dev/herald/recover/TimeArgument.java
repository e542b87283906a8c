package dev.herald.recover;

import dev.herald.retry.Durations;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A point in time as {@code --since} and {@code --until} take it: an RFC 3339 time ({@code
 * 2026-12-02T09:00:00Z}, or with an offset), a date ({@code 2026-12-02}, midnight UTC), or a
 * duration before now ({@code 90m}, {@code 2h}, {@code 1h30m}), as {@code kubectl logs --since}.
 */
public final class TimeArgument {
  private TimeArgument() {}

  /**
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Instant parse(String text, Instant now) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("a time is required");
    }
    try {
      if (t.contains("T") || t.contains("t")) {
        return OffsetDateTime.parse(t.toUpperCase(java.util.Locale.ROOT)).toInstant();
      }
      if (t.length() == 10 && t.charAt(4) == '-') {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
    } catch (DateTimeParseException e) {
      throw invalid(text);
    }
    try {
      return now.minus(Durations.parse(t));
    } catch (IllegalArgumentException e) {
      throw invalid(text);
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "'"
            + text
            + "' is not a time: use RFC 3339 (2026-12-02T09:00:00Z, or with an offset),"
            + " a date (2026-12-02, midnight UTC) or a duration before now (90m, 2h, 1h30m)");
  }
}
