package dev.herald.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.endpoint.EndpointCredentials;
import dev.herald.endpoint.EndpointSettings;
import dev.herald.http.WebhookRequest;
import dev.herald.kube.KubeJson;
import dev.herald.signing.SigningKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one home of the request an attempt sends, whether a delivery makes it or an event makes its
 * first attempt: the same webhook-id, headers, signature and timeout either way, so a receiver
 * cannot tell the paths apart and a retry by the delivery deduplicates against the event's attempt.
 */
public final class AttemptRequests {
  /** Herald's limits: a payload as deep as the API server admits must serialize as the body. */
  private static final ObjectMapper JSON = KubeJson.mapper();

  private AttemptRequests() {}

  /**
   * The request to {@code settings}' URL, signed with {@code keys}, with {@code credentials} (read
   * from the endpoint's Secrets for this attempt), stamped {@code now}.
   */
  public static WebhookRequest of(
      EndpointSettings settings,
      String webhookId,
      String eventType,
      ObjectNode payload,
      List<SigningKey> keys,
      EndpointCredentials.Resolved credentials,
      Instant now) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree read from the API server always serializes", e);
    }
    return new WebhookRequest(
        settings.url(),
        webhookId,
        eventType,
        body,
        headers(settings, credentials),
        keys,
        settings.timeout(),
        now,
        credentials.oauth2());
  }

  /**
   * The static headers and those from Secrets; EndpointSettings refuses a name set by both, and the
   * sender drops reserved names whichever list they come from.
   */
  private static Map<String, String> headers(
      EndpointSettings settings, EndpointCredentials.Resolved credentials) {
    if (credentials.headers().isEmpty()) {
      return settings.headers();
    }
    Map<String, String> headers = new HashMap<>(settings.headers());
    headers.putAll(credentials.headers());
    return headers;
  }
}
