package dev.herald.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.endpoint.EndpointSettings;
import dev.herald.http.WebhookRequest;
import dev.herald.kube.KubeJson;
import dev.herald.signing.SigningKey;
import java.time.Instant;
import java.util.List;

/**
 * The one home of the request an attempt sends, whether a delivery makes it or an event makes its
 * first attempt: the same webhook-id, headers, signature and timeout either way, so a receiver
 * cannot tell the paths apart and a retry by the delivery deduplicates against the event's attempt.
 */
public final class AttemptRequests {
  /** Herald's limits: a payload as deep as the API server admits must serialize as the body. */
  private static final ObjectMapper JSON = KubeJson.mapper();

  private AttemptRequests() {}

  /** The request to {@code settings}' URL, signed with {@code keys}, stamped {@code now}. */
  public static WebhookRequest of(
      EndpointSettings settings,
      String webhookId,
      String eventType,
      ObjectNode payload,
      List<SigningKey> keys,
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
        settings.headers(),
        keys,
        settings.timeout(),
        now);
  }
}
