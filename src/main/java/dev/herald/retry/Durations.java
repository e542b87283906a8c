package dev.herald.retry;

import dev.herald.api.v1alpha1.Schemas;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style duration strings ("30s", "1h30m", "500ms"), the way Kubernetes users write them. */
public final class Durations {
  // The accepted language is exactly the CRD's schema pattern, so a value the API server
  // admitted can never be rejected here, and vice versa.
  private static final Pattern WHOLE = Pattern.compile(Schemas.DURATION);
  private static final Pattern COMPONENT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  // Go's time.Duration is an int64 of nanoseconds; staying inside that range keeps us
  // compatible with Go tooling and guarantees Instant arithmetic never overflows.
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigDecimal NANOS_PER_MILLI = BigDecimal.valueOf(1_000_000L);
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  private Durations() {}

  /**
   * Parses "500ms", "30s", "1m", "1h30m", "1.5h", "0s" (units ms, s, m, h; components may repeat as
   * in Go). Fractions finer than a nanosecond are truncated, as Go does.
   *
   * @throws IllegalArgumentException on null, empty, a bare number, spaces, a sign, an unknown
   *     unit, or a value beyond Go's maximum duration (about 292 years)
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException(
          "duration must not be null; expected e.g. \"30s\" or \"1h30m\"");
    }
    if (!WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "invalid duration \""
              + text
              + "\": expected a number with a unit ms, s, m or h,"
              + " e.g. \"500ms\", \"30s\", \"1h30m\" (no spaces, no sign)");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = COMPONENT.matcher(text);
    while (m.find()) {
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(nanosPerUnit(m.group(2))));
    }
    BigInteger whole = nanos.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    if (whole.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException(
          "invalid duration \""
              + text
              + "\": longer than the maximum of "
              + format(Duration.ofNanos(Long.MAX_VALUE)));
    }
    return Duration.ofNanos(whole.longValueExact());
  }

  /**
   * The shortest usual spelling: whole hours, minutes, then seconds with a decimal fraction
   * ("1.5s"); below one second, milliseconds ("500ms", "0.25ms"). Zero components are left out
   * ("1h30m", not Go's "1h30m0s"). {@code parse(format(d)).equals(d)} for every d that parse can
   * return.
   *
   * @throws IllegalArgumentException for null or negative durations, which parse would reject
   */
  public static String format(Duration d) {
    if (d == null) {
      throw new IllegalArgumentException("duration must not be null");
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative durations cannot be written: " + d);
    }
    if (d.isZero()) {
      return "0s";
    }
    long totalSeconds = d.getSeconds();
    long hours = totalSeconds / 3600;
    long minutes = (totalSeconds % 3600) / 60;
    long seconds = totalSeconds % 60;
    int nanos = d.getNano();
    StringBuilder sb = new StringBuilder();
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (minutes > 0) {
      sb.append(minutes).append('m');
    }
    if (seconds > 0) {
      sb.append(decimal(BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9)))).append('s');
    } else if (nanos > 0) {
      sb.append(decimal(BigDecimal.valueOf(nanos, 6))).append("ms");
    }
    return sb.toString();
  }

  private static BigDecimal nanosPerUnit(String unit) {
    switch (unit) {
      case "ms":
        return NANOS_PER_MILLI;
      case "s":
        return NANOS_PER_SECOND;
      case "m":
        return NANOS_PER_SECOND.multiply(BigDecimal.valueOf(60));
      case "h":
        return NANOS_PER_SECOND.multiply(BigDecimal.valueOf(3600));
      default:
        throw new AssertionError(unit); // the pattern admits no other unit
    }
  }

  private static String decimal(BigDecimal value) {
    // toPlainString: never "1E+1", which parse would reject.
    return value.stripTrailingZeros().toPlainString();
  }
}
