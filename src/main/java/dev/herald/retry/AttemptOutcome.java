package dev.herald.retry;

import dev.herald.api.v1alpha1.ErrorClass;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What one delivery attempt came back with, reduced to what the retry decision needs.
 *
 * @param statusCode the HTTP status, or null when no response arrived (connection, DNS, TLS,
 *     timeout, blocked by the egress policy)
 * @param errorClass why the attempt failed, or null when it succeeded (a 2xx)
 * @param retryAfter the receiver's Retry-After, already parsed; null when absent. Only honoured on
 *     429 and 503, and it can only lengthen a delay, so a date in the past (zero or negative) is
 *     harmless.
 */
public record AttemptOutcome(Integer statusCode, ErrorClass errorClass, Duration retryAfter) {
  private static final Set<Integer> OVERLOAD_STATUSES = Set.of(429, 502, 503, 504);

  public AttemptOutcome {
    if (errorClass == null && (statusCode == null || !isSuccess(statusCode))) {
      // Without this a caller that forgot to classify a 500 would mark the delivery Succeeded.
      throw new IllegalArgumentException(
          "an outcome without an error class must carry a 2xx status, got " + statusCode);
    }
  }

  public static AttemptOutcome success(int statusCode) {
    if (!isSuccess(statusCode)) {
      throw new IllegalArgumentException("not a success status: " + statusCode);
    }
    return new AttemptOutcome(statusCode, null, null);
  }

  public static AttemptOutcome failure(
      ErrorClass errorClass, Integer statusCode, Duration retryAfter) {
    Objects.requireNonNull(errorClass, "errorClass");
    return new AttemptOutcome(statusCode, errorClass, retryAfter);
  }

  public boolean succeeded() {
    return errorClass == null;
  }

  /**
   * The receiver says "slow down": it answered 429, 502, 503 or 504, or did not answer within the
   * timeout (Timeout, which carries no status code). A forward proxy's failure (ProxyError) is not
   * the receiver's answer and does not count.
   */
  public boolean signalsOverload() {
    if (errorClass == ErrorClass.Timeout) {
      return true;
    }
    return (errorClass == ErrorClass.Http4xx || errorClass == ErrorClass.Http5xx)
        && statusCode != null
        && OVERLOAD_STATUSES.contains(statusCode);
  }

  private static boolean isSuccess(int statusCode) {
    return statusCode >= 200 && statusCode < 300;
  }
}
