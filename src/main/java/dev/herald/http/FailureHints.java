package dev.herald.http;

import dev.herald.api.v1alpha1.ErrorClass;
import java.util.Objects;

/**
 * What to do about a failed attempt, as the source pages pair each failure with its fix. The one
 * home of that wording: the attempt record, the last error and the {@code Ready} message quote it,
 * and docs/api.md lists it ({@code FailureHintsDocTest} keeps the two in step).
 *
 * <p>A hint is general advice for the class (refined by the status code where the pages tell them
 * apart); where the failure itself says more (which certificate, which proxy answer), {@link
 * ErrorClassifier} gives a sharper hint instead. Hints never quote the response or the request, so
 * they are safe to write anywhere.
 */
public final class FailureHints {
  private FailureHints() {}

  /**
   * The hint for a failure of this class and status code (null when no response arrived).
   *
   * @throws NullPointerException for a null class: a success has no hint
   */
  public static String of(ErrorClass errorClass, Integer statusCode) {
    Objects.requireNonNull(errorClass, "errorClass");
    return switch (errorClass) {
      case ConnectionFailed ->
          "check that the receiver is running and that its host and port"
              + " are reachable from the cluster (Service, NetworkPolicy, firewall)";
      case DnsFailure ->
          "check the host name in spec.url and that it resolves in the cluster's" + " DNS";
      case TlsError ->
          "check the receiver's certificate chain (with its intermediates) and"
              + " dates, and that it offers TLS 1.2 or later with a cipher suite in common";
      case Timeout ->
          "answer 2xx at once and do the work after answering; spec.timeout sets"
              + " how long one attempt may take";
      case Redirect ->
          "redirects are not followed: set spec.url to the URL the redirect points" + " to";
      case Http4xx -> http4xx(statusCode);
      case Http5xx -> http5xx(statusCode);
      case Gone ->
          "the receiver answered 410 Gone to stop deliveries: no retry follows; replay"
              + " the delivery once the receiver takes it again";
      case Blocked ->
          "the operator's egress policy refuses this destination: use a public"
              + " address, or ask the cluster admin to allow it with --egress-allow";
      case TokenRequestFailed ->
          "check spec.auth.oauth2 (token URL, client id, the Secret with"
              + " the client secret, scopes) and that the token URL answers from the cluster";
      case ProxyError ->
          "the receiver never saw the request: check the forward proxy (--proxy),"
              + " its credentials and its rules";
      case Aborted ->
          "the receiver asked not to retry this message (webhook-delivery:"
              + " abort-message); replay it when it should be sent again";
    };
  }

  private static String http4xx(Integer statusCode) {
    int code = statusCode == null ? 0 : statusCode;
    return switch (code) {
      case 401, 403 ->
          "verify the signature over the raw request body, not a re-serialized"
              + " copy, with the endpoint's current signing secret, and check spec.auth";
      case 404 -> "the endpoint moved: edit spec.url; waiting retries use the new URL";
      case 405 -> "the receiver must accept POST at spec.url";
      case 413 -> "the payload is larger than the receiver accepts: raise its body limit";
      case 429 ->
          "the receiver is rate limiting: set spec.rateLimit below its limit, and"
              + " spec.retry.overloadMinDelay to wait longer after a 429";
      default ->
          "the receiver refused the request: read the response excerpt, and check that"
              + " spec.url accepts a POST with a JSON body";
    };
  }

  private static String http5xx(Integer statusCode) {
    int code = statusCode == null ? 0 : statusCode;
    return switch (code) {
      case 502, 503, 504 ->
          "the receiver, or a gateway in front of it, is down or overloaded: read its"
              + " logs; spec.retry.overloadMinDelay and jitter spread the retries";
      default ->
          "the receiver failed while handling the request: read its logs; retries"
              + " follow the schedule";
    };
  }
}
