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
 * @param tls the endpoint's client certificate and CAs ({@code spec.tls}), or null for none
 * @param bypassProxy connect directly even when the sender has a proxy ({@code spec.bypassProxy})
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
    TlsMaterial tls,
    boolean bypassProxy) {

  public WebhookRequest(
      String url,
      String webhookId,
      String eventType,
      byte[] body,
      Map<String, String> extraHeaders,
      List<SigningKey> keys,
      Duration timeout,
      Instant attemptTime) {
    this(url, webhookId, eventType, body, extraHeaders, keys, timeout, attemptTime, null, false);
  }

  /** This request over the endpoint's own TLS material and proxy choice. */
  public WebhookRequest withTransport(TlsMaterial material, boolean bypass) {
    return new WebhookRequest(
        url,
        webhookId,
        eventType,
        body,
        extraHeaders,
        keys,
        timeout,
        attemptTime,
        material,
        bypass);
  }

  public WebhookRequest {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(attemptTime, "attemptTime");
    extraHeaders = extraHeaders == null ? Map.of() : Map.copyOf(extraHeaders);
    keys = List.copyOf(keys);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one signing key is needed");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }
}
