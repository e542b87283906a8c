package dev.herald.endpoint;

import dev.herald.api.v1alpha1.RateLimitSpec;
import dev.herald.retry.Durations;
import java.time.Duration;

/**
 * An endpoint's spec.rateLimit, checked: {@code requests} per {@code per}, at most {@code burst} at
 * once. The schema refuses most bad values at apply time; this checks the same bounds on what the
 * operator reads (objects stored before a CRD upgrade), so a bad limit is InvalidSpec, never an
 * unpaced endpoint.
 */
public record RateLimit(int requests, Duration per, int burst) {
  public static final Duration MIN_PER = Duration.ofSeconds(1);
  public static final Duration MAX_PER = Duration.ofHours(1);

  public RateLimit {
    if (requests < 1 || burst < 1) {
      throw new IllegalArgumentException("requests and burst must be at least 1");
    }
  }

  /** Null when the spec sets none. */
  public static RateLimit of(RateLimitSpec spec) throws InvalidEndpointException {
    if (spec == null) {
      return null;
    }
    Integer requests = spec.getRequests();
    if (requests == null) {
      throw new InvalidEndpointException("spec.rateLimit.requests is required");
    }
    checkCount("spec.rateLimit.requests", requests);
    String perText = spec.getPer() == null ? RateLimitSpec.DEFAULT_PER : spec.getPer();
    Duration per;
    try {
      per = Durations.parse(perText);
    } catch (IllegalArgumentException e) {
      throw new InvalidEndpointException("spec.rateLimit.per: " + e.getMessage());
    }
    if (per.compareTo(MIN_PER) < 0 || per.compareTo(MAX_PER) > 0) {
      throw new InvalidEndpointException(
          "spec.rateLimit.per must be between 1s and 1h, got \"" + perText + "\"");
    }
    int burst = spec.getBurst() == null ? requests : spec.getBurst();
    checkCount("spec.rateLimit.burst", burst);
    return new RateLimit(requests, per, burst);
  }

  private static void checkCount(String field, int value) throws InvalidEndpointException {
    if (value < 1 || value > RateLimitSpec.MAX_REQUESTS) {
      throw new InvalidEndpointException(
          field + " must be between 1 and " + RateLimitSpec.MAX_REQUESTS + ", got " + value);
    }
  }

  /** The time one request takes of the allowance: {@code per / requests}. */
  public Duration interval() {
    return per.dividedBy(requests);
  }

  /** "5 per 1s, burst 5", as messages quote it. */
  @Override
  public String toString() {
    return requests + " per " + Durations.format(per) + ", burst " + burst;
  }
}
