package dev.herald.http;

import dev.herald.api.v1alpha1.ErrorClass;
import java.time.Duration;

/**
 * What one attempt came to, in the terms of the delivery status and attempt log.
 *
 * @param statusCode the HTTP status, or null when no complete answer came back (connection, DNS,
 *     TLS, timeout), as {@code lastStatusCode} is absent then
 * @param errorClass null exactly when the receiver answered 2xx
 * @param message short text for humans; never contains key material or signature values
 * @param responseExcerpt the first bytes of the response body decoded leniently as UTF-8, or null
 * @param retryAfter the receiver's Retry-After, only for 429 and 503 where it means "back off"
 * @param tlsVersion the TLS version negotiated (TLSv1.2, TLSv1.3), null without TLS
 * @param tlsCipher the cipher suite negotiated, null without TLS
 * @param hint what to do about a failure; null for a success. Left null, it is the class's hint
 *     from {@link FailureHints}; a classifier that knows more (which certificate) gives its own.
 */
public record AttemptResult(
    String url,
    Integer statusCode,
    ErrorClass errorClass,
    String message,
    String responseExcerpt,
    long durationMs,
    Duration retryAfter,
    String tlsVersion,
    String tlsCipher,
    String hint) {

  public AttemptResult {
    if (errorClass == null) {
      hint = null;
    } else if (hint == null) {
      hint = FailureHints.of(errorClass, statusCode);
    }
  }

  public AttemptResult(
      String url,
      Integer statusCode,
      ErrorClass errorClass,
      String message,
      String responseExcerpt,
      long durationMs,
      Duration retryAfter) {
    this(
        url,
        statusCode,
        errorClass,
        message,
        responseExcerpt,
        durationMs,
        retryAfter,
        null,
        null,
        null);
  }

  public boolean succeeded() {
    return errorClass == null;
  }
}
