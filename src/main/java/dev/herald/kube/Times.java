package dev.herald.kube;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
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

  /**
   * Reads the two shapes the API server and Herald write ({@code 2026-12-02T17:09:43Z}, with or
   * without a fraction of up to nine digits) by position, and anything else with {@link
   * Instant#parse}: every status read parses several timestamps, and the formatter's general parser
   * was about 3% of the operator's CPU per delivery under load.
   */
  public static Instant parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Instant quick = parseUtc(text);
    return quick != null ? quick : Instant.parse(text);
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} in range, or null (the general parser decides). */
  static Instant parseUtc(String s) {
    int n = s.length();
    if (n < 20
        || n == 21
        || n > 30
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z'
        || (n > 20 && s.charAt(19) != '.')) {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int nanos = 0;
    if (n > 20) {
      int fraction = digits(s, 20, n - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 1 - 20; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 28 && day > YearMonth.of(year, month).lengthOfMonth()
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The decimal number in {@code s[from, to)}, or -1 if any of it is not an ASCII digit. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
