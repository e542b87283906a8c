package dev.herald.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the {@code Retry-After} response header (RFC 9110 section 10.2.3). */
public final class RetryAfter {
  /**
   * RFC 9110 obliges recipients to accept the two obsolete date forms besides IMF-fixdate, and old
   * servers still send them.
   */
  private static final List<DateTimeFormatter> HTTP_DATES =
      List.of(
          DateTimeFormatter.RFC_1123_DATE_TIME,
          DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US)
              .withZone(ZoneOffset.UTC));

  /** rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT"; the day name is dropped before parsing. */
  private static final Pattern RFC_850 =
      Pattern.compile("[A-Za-z]+, (\\d{2}-[A-Za-z]{3}-\\d{2} .+)");

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
      Optional<Duration> wait = until(value, format, now);
      if (wait.isPresent()) {
        return wait;
      }
    }
    Matcher rfc850 = RFC_850.matcher(value);
    if (rfc850.matches()) {
      return until(rfc850.group(1), rfc850Format(now), now);
    }
    return Optional.empty();
  }

  private static Optional<Duration> until(String value, DateTimeFormatter format, Instant now) {
    try {
      Instant at = ZonedDateTime.parse(value, format).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * RFC 9110 reads a two-digit year that looks more than 50 years ahead as the last century's, so
   * the century window is anchored on now; and the day name is not cross-checked, because with a
   * guessed century it would reject valid dates.
   */
  private static DateTimeFormatter rfc850Format(Instant now) {
    int thisYear = now.atZone(ZoneOffset.UTC).getYear();
    return new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .appendPattern("dd-MMM-")
        .appendValueReduced(ChronoField.YEAR, 2, 2, thisYear - 49)
        .appendPattern(" HH:mm:ss zzz")
        .toFormatter(Locale.US);
  }
}
