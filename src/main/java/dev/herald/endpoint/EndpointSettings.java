package dev.herald.endpoint;

import dev.herald.api.v1alpha1.Schemas;
import dev.herald.api.v1alpha1.SigningSpec;
import dev.herald.api.v1alpha1.WebhookEndpointSpec;
import dev.herald.egress.Destination;
import dev.herald.http.HeaderRules;
import dev.herald.http.ReservedHeaders;
import dev.herald.retry.Durations;
import dev.herald.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An endpoint's spec, parsed and checked once. The CRD schema rejects most bad input at apply time;
 * this catches what a schema cannot (or what slipped past an older CRD) so the operator reports it
 * in a condition instead of failing reconciles.
 *
 * @param rateLimit null: the endpoint is not paced
 */
public record EndpointSettings(
    String url,
    Duration timeout,
    RetryPolicy retryPolicy,
    Map<String, String> headers,
    Duration rotationOverlap,
    Duration ttlAfterFinished,
    int keep,
    RateLimit rateLimit) {
  public static final String DEFAULT_TTL_AFTER_FINISHED = "168h";
  public static final int DEFAULT_KEEP = 100;

  public static EndpointSettings of(WebhookEndpointSpec spec) throws InvalidEndpointException {
    if (spec == null) {
      throw new InvalidEndpointException("spec is missing");
    }
    checkFailurePolicy(spec);
    AuthSettings.check(spec);
    return new EndpointSettings(
        checkUrl(spec.getUrl()),
        positiveDuration("spec.timeout", spec.getTimeout(), WebhookEndpointSpec.DEFAULT_TIMEOUT),
        retryPolicy(spec),
        checkHeaders(spec.getHeaders()),
        positiveDuration(
            "spec.signing.rotationOverlap",
            spec.getSigning() == null ? null : spec.getSigning().getRotationOverlap(),
            SigningSpec.DEFAULT_ROTATION_OVERLAP),
        positiveDuration(
            "spec.history.ttlAfterFinished",
            spec.getHistory() == null ? null : spec.getHistory().getTtlAfterFinished(),
            DEFAULT_TTL_AFTER_FINISHED),
        keep(spec),
        RateLimit.of(spec.getRateLimit()));
  }

  /** Checks spec.failurePolicy; FailurePolicy.of reads it leniently at attempt time. */
  private static void checkFailurePolicy(WebhookEndpointSpec spec) throws InvalidEndpointException {
    var policy = spec.getFailurePolicy();
    if (policy == null) {
      return;
    }
    if (policy.getPauseAfterFailingFor() != null) {
      positiveDuration(
          "spec.failurePolicy.pauseAfterFailingFor", policy.getPauseAfterFailingFor(), null);
    }
    if (policy.getPauseAfterExhausted() != null && policy.getPauseAfterExhausted() < 1) {
      throw new InvalidEndpointException(
          "spec.failurePolicy.pauseAfterExhausted must be at least 1");
    }
  }

  private static String checkUrl(String url) throws InvalidEndpointException {
    if (url == null || url.isBlank()) {
      throw new InvalidEndpointException("spec.url is required");
    }
    if (url.length() > Schemas.URL_MAX_LENGTH) {
      // it goes into every attempt record: an unbounded one would grow status past etcd's limit
      throw new InvalidEndpointException(
          "spec.url is "
              + url.length()
              + " characters long; at most "
              + Schemas.URL_MAX_LENGTH
              + " are allowed");
    }
    if (Destination.of(url) instanceof Destination.Invalid invalid) {
      throw new InvalidEndpointException("spec.url: " + invalid.reason());
    }
    return url;
  }

  private static Duration positiveDuration(String field, String value, String fallback)
      throws InvalidEndpointException {
    String text = value == null ? fallback : value;
    try {
      Duration d = Durations.parse(text);
      if (d.isZero() || d.isNegative()) {
        throw new InvalidEndpointException(field + " must be positive, got " + quote(text));
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new InvalidEndpointException(field + ": " + e.getMessage());
    }
  }

  private static int keep(WebhookEndpointSpec spec) throws InvalidEndpointException {
    Integer keep = spec.getHistory() == null ? null : spec.getHistory().getKeep();
    if (keep != null && keep < 0) {
      throw new InvalidEndpointException("spec.history.keep must not be negative, got " + keep);
    }
    return keep == null ? DEFAULT_KEEP : keep;
  }

  private static RetryPolicy retryPolicy(WebhookEndpointSpec spec) throws InvalidEndpointException {
    try {
      return RetryPolicy.from(spec.getRetry());
    } catch (IllegalArgumentException e) {
      throw new InvalidEndpointException("spec.retry: " + e.getMessage());
    }
  }

  private static Map<String, String> checkHeaders(Map<String, String> headers)
      throws InvalidEndpointException {
    if (headers == null) {
      return Map.of();
    }
    List<String> reserved =
        headers.keySet().stream()
            .filter(ReservedHeaders::isReserved)
            .sorted()
            .collect(Collectors.toList());
    if (!reserved.isEmpty()) {
      throw new InvalidEndpointException(
          "spec.headers may not set " + String.join(", ", reserved) + ": Herald sets these itself");
    }
    if (headers.size() > Schemas.MAX_HEADERS) {
      throw new InvalidEndpointException(
          "spec.headers has " + headers.size() + " entries; at most " + Schemas.MAX_HEADERS);
    }
    List<String> problems =
        new TreeMap<>(headers)
            .entrySet().stream()
                .map(h -> HeaderRules.problem(h.getKey(), h.getValue()))
                .flatMap(Optional::stream)
                .collect(Collectors.toList());
    if (!problems.isEmpty()) {
      throw new InvalidEndpointException("spec.headers: " + String.join("; ", problems));
    }
    return Map.copyOf(headers);
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  /** How long finished deliveries stay, and how many per endpoint. */
  public record History(Duration ttlAfterFinished, int keep) {
    public static final History DEFAULT =
        new History(dev.herald.retry.Durations.parse(DEFAULT_TTL_AFTER_FINISHED), DEFAULT_KEEP);
  }
}
