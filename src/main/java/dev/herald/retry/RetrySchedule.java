package dev.herald.retry;

import dev.herald.api.v1alpha1.RetrySpec;
import dev.herald.api.v1alpha1.Schemas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delays before each retry of a delivery, e.g. {@code ["1m", "5m", "60s x10"]}.
 *
 * <p>Repeated entries are kept as (delay, count) runs rather than expanded, because a user may
 * legitimately write {@code "10m x99999"} and every reconcile parses the schedule again.
 */
public final class RetrySchedule {
  private static final Pattern ENTRY = Pattern.compile(Schemas.SCHEDULE_ENTRY);
  private static final Pattern REPEAT = Pattern.compile("^(.*) x([0-9]+)$");
  private static final int MAX_REPEAT = 99_999;

  /**
   * The shortest delay between two attempts: "0s x99999" would otherwise make hundreds of attempts
   * and status writes a second. The CRD's pattern refuses shorter entries too; this catches objects
   * stored before it.
   */
  public static final Duration MIN_DELAY = Duration.ofSeconds(1);

  /** 1m 5m 30m 2h 12h 24h 48h 72h: nine attempts over about six and a half days. */
  public static final RetrySchedule DEFAULT = parse(RetrySpec.DEFAULT_SCHEDULE);

  private record Run(Duration delay, int count) {}

  private final List<String> entries;
  private final List<Run> runs;
  private final int retries;
  private final Duration longestDelay;

  private RetrySchedule(List<String> entries, List<Run> runs, int retries, Duration longestDelay) {
    this.entries = entries;
    this.runs = runs;
    this.retries = retries;
    this.longestDelay = longestDelay;
  }

  /**
   * Parses schedule entries: a duration ({@link Durations#parse}), optionally followed by {@code "
   * x<count>"} with count 1..99999, each at least {@link #MIN_DELAY}. An empty list means no
   * retries at all.
   *
   * @throws IllegalArgumentException naming the position and text of the first bad entry
   */
  public static RetrySchedule parse(List<String> entries) {
    if (entries == null) {
      throw new IllegalArgumentException(
          "retry schedule must not be null (use an empty list for no retries)");
    }
    List<String> copy = new ArrayList<>(entries.size());
    List<Run> runs = new ArrayList<>();
    long total = 0;
    Duration longest = Duration.ZERO;
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      Run run = parseEntry(i, entry);
      copy.add(entry);
      total += run.count();
      if (total > Integer.MAX_VALUE - 1) {
        // maxAttempts (1 + retries) and the status' attempt counter are ints.
        throw new IllegalArgumentException(
            "retry schedule has too many retries (more than "
                + (Integer.MAX_VALUE - 1)
                + ") at entry ["
                + i
                + "] \""
                + entry
                + "\"");
      }
      if (run.delay().compareTo(longest) > 0) {
        longest = run.delay();
      }
      // Adjacent runs of one delay are merged so that equal schedules compare equal
      // however they were spelled ("1m", "1m" and "60s x2").
      int last = runs.size() - 1;
      if (last >= 0 && runs.get(last).delay().equals(run.delay())) {
        runs.set(last, new Run(run.delay(), runs.get(last).count() + run.count()));
      } else {
        runs.add(run);
      }
    }
    return new RetrySchedule(
        Collections.unmodifiableList(copy),
        Collections.unmodifiableList(runs),
        (int) total,
        longest);
  }

  private static Run parseEntry(int index, String entry) {
    if (entry == null || !ENTRY.matcher(entry).matches()) {
      throw new IllegalArgumentException(
          "invalid retry schedule entry ["
              + index
              + "] "
              + quote(entry)
              + ": expected a duration like \"30s\" or \"1h30m\", optionally repeated like"
              + " \"60s x10\" (count 1.."
              + MAX_REPEAT
              + ")");
    }
    String duration = entry;
    int count = 1;
    Matcher m = REPEAT.matcher(entry);
    if (m.matches()) {
      duration = m.group(1);
      // Safe: the schema pattern allows at most five digits, no leading zero.
      count = Integer.parseInt(m.group(2));
    }
    Duration delay;
    try {
      delay = Durations.parse(duration);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid retry schedule entry [" + index + "] " + quote(entry) + ": " + e.getMessage(),
          e);
    }
    if (delay.compareTo(MIN_DELAY) < 0) {
      throw new IllegalArgumentException(
          "invalid retry schedule entry ["
              + index
              + "] "
              + quote(entry)
              + ": each delay must be at least "
              + Durations.format(MIN_DELAY));
    }
    return new Run(delay, count);
  }

  private static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }

  /** How many retries the schedule allows after the first attempt (repeats counted). */
  public int retries() {
    return retries;
  }

  /**
   * The delay between the failure of attempt {@code retryNumber} and retry {@code retryNumber}
   * (1-based: retry 1 is the second attempt), or empty once the schedule is used up.
   *
   * @throws IllegalArgumentException if retryNumber is less than 1
   */
  public Optional<Duration> delayBeforeRetry(int retryNumber) {
    if (retryNumber < 1) {
      throw new IllegalArgumentException("retry numbers start at 1, got " + retryNumber);
    }
    int remaining = retryNumber;
    for (Run run : runs) {
      if (remaining <= run.count()) {
        return Optional.of(run.delay());
      }
      remaining -= run.count();
    }
    return Optional.empty();
  }

  /** The longest single delay; it caps how long a Retry-After header can make us wait. */
  public Duration longestDelay() {
    return longestDelay;
  }

  /** The entries exactly as written, for status messages and round trips to the spec. */
  public List<String> entries() {
    return entries;
  }

  /** Schedules are equal when they retry at the same delays, however the entries are spelled. */
  @Override
  public boolean equals(Object o) {
    return o instanceof RetrySchedule other && runs.equals(other.runs);
  }

  @Override
  public int hashCode() {
    return runs.hashCode();
  }

  @Override
  public String toString() {
    return "RetrySchedule" + entries;
  }
}
