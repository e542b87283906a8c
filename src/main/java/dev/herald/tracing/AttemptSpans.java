package dev.herald.tracing;

import dev.herald.http.AttemptResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The attributes of an attempt span, named after OpenTelemetry's HTTP client conventions where one
 * fits and {@code herald.*} for the rest; docs/api.md lists them.
 */
final class AttemptSpans {
  static final String NAME = "webhook attempt";

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<Long> STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("k8s.namespace.name");
  static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("herald.endpoint");
  static final AttributeKey<String> DELIVERY = AttributeKey.stringKey("herald.delivery");
  static final AttributeKey<String> EVENT = AttributeKey.stringKey("herald.event");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("herald.attempt");
  static final AttributeKey<String> WEBHOOK_ID = AttributeKey.stringKey("herald.webhook_id");
  static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("herald.event_type");
  static final AttributeKey<Long> DURATION_MS = AttributeKey.longKey("herald.duration_ms");

  private AttemptSpans() {}

  /** What is known when the attempt starts. */
  static Attributes start(AttemptInfo info) {
    AttributesBuilder b =
        Attributes.builder()
            .put(METHOD, "POST")
            .put(NAMESPACE, info.namespace())
            .put(ENDPOINT, info.endpoint())
            .put(ATTEMPT, info.attempt())
            .put(WEBHOOK_ID, info.webhookId())
            .put(EVENT_TYPE, info.eventType());
    if (info.delivery() != null) {
      b.put(DELIVERY, info.delivery());
    }
    if (info.event() != null) {
      b.put(EVENT, info.event());
    }
    URI uri = uri(info.url());
    if (uri != null && uri.getHost() != null) {
      b.put(SERVER_ADDRESS, uri.getHost());
      b.put(SERVER_PORT, port(uri));
      b.put(URL, withoutQuery(uri));
    }
    return b.build();
  }

  /** The outcome: the status code when an answer came, the error class when it failed. */
  static Attributes end(AttemptResult result) {
    AttributesBuilder b = Attributes.builder().put(DURATION_MS, result.durationMs());
    if (result.statusCode() != null) {
      b.put(STATUS_CODE, result.statusCode().longValue());
    }
    if (result.errorClass() != null) {
      b.put(ERROR_TYPE, result.errorClass().name());
    }
    return b.build();
  }

  /**
   * The URL without its query and fragment: a query may carry a receiver's token, and a tracing
   * backend is often read by more people than the namespace's deliveries.
   */
  private static String withoutQuery(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getRawAuthority()
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  private static long port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
  }

  private static URI uri(String url) {
    try {
      return url == null ? null : new URI(url);
    } catch (URISyntaxException e) {
      return null; // the attempt itself reports the URL's problem
    }
  }
}
