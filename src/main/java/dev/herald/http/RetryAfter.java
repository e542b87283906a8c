package dev.herald.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Parses the {@code Retry-After} response header (RFC 9110 section 10.2.3). */
public final class RetryAfter {
  /**
   * RFC 9110 obliges recipients to accept the two obsolete date forms besides IMF-fixdate, and
   * old servers still send them.
   */
  private static final List<DateTimeFormatter> HTTP_DATES =
      List.of(
          DateTimeFormatter.RFC_1123_DATE_TIME,
          DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US),
          DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US)
              .withZone(java.time.ZoneOffset.UTC));

  /** More digits than this cannot be a sane delay and would overflow a long. */
  private static final int MAX_DIGITS = 12;

  private RetryAfter() {}

  /**
   * Delta-seconds or an HTTP-date; a date already past gives zero (retry now). Anything else,
   * negative numbers included, gives empty: a broken header must not stall or hurry retries.
   */
  public static Optional<Duration> parse(String headerValue, Instant now) {
    if (headerValue == null) {
      return Optional.empty();
    }
    String value = headerValue.strip();
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      if (value.length() > MAX_DIGITS) {
        return Optional.empty();
      }
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    for (DateTimeFormatter format : HTTP_DATES) {
      try {
        Instant at = ZonedDateTime.parse(value, format).toInstant();
        Duration wait = Duration.between(now, at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    return Optional.empty();
  }
}
