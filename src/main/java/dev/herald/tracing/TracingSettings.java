package dev.herald.tracing;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether Herald exports spans, and how the OpenTelemetry SDK's autoconfiguration is to be set up
 * for it: a pure function of {@code --otlp-endpoint} and the environment. Spans are exported only
 * when an endpoint is configured, by the flag or by {@code OTEL_EXPORTER_OTLP_ENDPOINT} / {@code
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}; otherwise no SDK is started at all.
 *
 * @param endpoint where spans go, for the log line
 * @param defaults properties the environment's {@code OTEL_*} variables override
 * @param overrides properties that hold whatever the environment says (the flag's endpoint, traces
 *     only, over HTTP/protobuf)
 */
public record TracingSettings(
    String endpoint, Map<String, String> defaults, Map<String, String> overrides) {
  static final String PROTOCOL = "http/protobuf";
  static final String DEFAULT_SERVICE_NAME = "herald";

  public TracingSettings {
    defaults = Map.copyOf(defaults);
    overrides = Map.copyOf(overrides);
  }

  /**
   * The settings for the flag's value ({@code otlpEndpoint}, blank: not given) and the environment;
   * empty when no span is to be exported.
   *
   * @throws IllegalArgumentException for a flag that is no http(s) URL, or an environment that asks
   *     for what Herald does not bundle (another protocol than http/protobuf, another exporter)
   */
  public static Optional<TracingSettings> of(String otlpEndpoint, Map<String, String> env) {
    boolean flag = otlpEndpoint != null && !otlpEndpoint.isBlank();
    if ("true".equalsIgnoreCase(value(env, "OTEL_SDK_DISABLED"))
        || "none".equalsIgnoreCase(value(env, "OTEL_TRACES_EXPORTER"))) {
      return Optional.empty();
    }
    String fromEnv =
        Optional.ofNullable(value(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
            .orElse(value(env, "OTEL_EXPORTER_OTLP_ENDPOINT"));
    if (!flag && fromEnv == null) {
      return Optional.empty();
    }
    String exporter = value(env, "OTEL_TRACES_EXPORTER");
    if (exporter != null && !exporter.equalsIgnoreCase("otlp")) {
      throw new IllegalArgumentException(
          "OTEL_TRACES_EXPORTER=" + exporter + ": Herald exports spans over OTLP only");
    }
    for (String name :
        new String[] {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"}) {
      String protocol = value(env, name);
      if (protocol != null && !protocol.equals(PROTOCOL)) {
        throw new IllegalArgumentException(
            name + "=" + protocol + ": Herald exports OTLP over " + PROTOCOL + " only");
      }
    }
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("otel.service.name", DEFAULT_SERVICE_NAME);
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("otel.traces.exporter", "otlp");
    overrides.put("otel.exporter.otlp.traces.protocol", PROTOCOL);
    // Herald's metrics are Prometheus's (/metrics); no OTel metric or log exporter, no threads
    overrides.put("otel.metrics.exporter", "none");
    overrides.put("otel.logs.exporter", "none");
    String endpoint = fromEnv;
    if (flag) {
      endpoint = tracesUrl(otlpEndpoint.strip());
      overrides.put("otel.exporter.otlp.traces.endpoint", endpoint);
    } else if (value(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == null) {
      endpoint = tracesUrl(fromEnv);
    }
    return Optional.of(new TracingSettings(endpoint, defaults, overrides));
  }

  /**
   * The traces URL under a base URL, as the OTLP exporter forms it from {@code
   * OTEL_EXPORTER_OTLP_ENDPOINT}: {@code http://collector:4318} becomes {@code
   * http://collector:4318/v1/traces}.
   */
  static String tracesUrl(String base) {
    URI uri;
    try {
      uri = new URI(base);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getReason());
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "the OTLP endpoint must be an http:// or https:// URL with a host and no query, e.g."
              + " http://otel-collector.observability:4318");
    }
    return base.endsWith("/") ? base + "v1/traces" : base + "/v1/traces";
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }
}
