package dev.herald.kube;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps as status fields hold them. */
public final class Times {
  private Times() {}

  /**
   * Millisecond precision: next-attempt times of sub-second schedules must not round down and fire
   * early after a restart reads them back.
   */
  public static String format(Instant instant) {
    return instant == null
        ? null
        : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  public static Instant parse(String text) {
    return text == null || text.isBlank() ? null : Instant.parse(text);
  }
}
