package dev.herald.http;

import dev.herald.signing.SigningKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One delivery attempt, fully decided by the caller: the sender adds no policy of its own.
 *
 * @param extraHeaders the endpoint's static headers; names the sender sets itself are ignored (see
 *     {@link ReservedHeaders}) so an endpoint cannot forge a signature or smuggle framing
 * @param keys every key to sign with; two during a rotation overlap
 * @param timeout the total budget of the attempt, from connect to the last byte read
 * @param attemptTime becomes {@code webhook-timestamp}; passed in so retries and tests control it
 * @param oauth2 when set, the sender gets an access token for it and sends it as {@code
 *     Authorization: Bearer}; null: no OAuth2
 * @param transport the endpoint's TLS and proxy choice, for the POST and its token request alike
 * @param trace the {@code traceparent} and {@code tracestate} to send, replacing any the endpoint's
 *     static headers name; null: none of Herald's (an endpoint's static ones go as they are)
 */
public record WebhookRequest(
    String url,
    String webhookId,
    String eventType,
    byte[] body,
    Map<String, String> extraHeaders,
    List<SigningKey> keys,
    Duration timeout,
    Instant attemptTime,
    OAuth2Grant oauth2,
    Transport transport,
    TraceHeaders trace) {

  /** A request without OAuth2, over the operator's default TLS and proxy. */
  public WebhookRequest(
      String url,
      String webhookId,
      String eventType,
      byte[] body,
      Map<String, String> extraHeaders,
      List<SigningKey> keys,
      Duration timeout,
      Instant attemptTime) {
    this(url, webhookId, eventType, body, extraHeaders, keys, timeout, attemptTime, null);
  }

  /** A request with OAuth2 (or none: null), over the operator's default TLS and proxy. */
  public WebhookRequest(
      String url,
      String webhookId,
      String eventType,
      byte[] body,
      Map<String, String> extraHeaders,
      List<SigningKey> keys,
      Duration timeout,
      Instant attemptTime,
      OAuth2Grant oauth2) {
    this(
        url,
        webhookId,
        eventType,
        body,
        extraHeaders,
        keys,
        timeout,
        attemptTime,
        oauth2,
        Transport.DEFAULT,
        null);
  }

  /** This request over the endpoint's own TLS material and proxy choice. */
  public WebhookRequest withTransport(Transport chosen) {
    return with(chosen, trace);
  }

  /** This request with these trace context headers (null: none). */
  public WebhookRequest withTrace(TraceHeaders headers) {
    return with(transport, headers);
  }

  private WebhookRequest with(Transport chosen, TraceHeaders headers) {
    return new WebhookRequest(
        url,
        webhookId,
        eventType,
        body,
        extraHeaders,
        keys,
        timeout,
        attemptTime,
        oauth2,
        chosen,
        headers);
  }

  public WebhookRequest {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(attemptTime, "attemptTime");
    Objects.requireNonNull(transport, "transport");
    extraHeaders = extraHeaders == null ? Map.of() : Map.copyOf(extraHeaders);
    keys = List.copyOf(keys);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one signing key is needed");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  /** Names of headers only: their values may be credentials, and a record prints every field. */
  @Override
  public String toString() {
    return "WebhookRequest[url="
        + url
        + ", webhookId="
        + webhookId
        + ", eventType="
        + eventType
        + ", headers="
        + new java.util.TreeSet<>(extraHeaders.keySet())
        + ", oauth2="
        + oauth2
        + ", transport="
        + transport
        + ", trace="
        + trace
        + "]";
  }
}
