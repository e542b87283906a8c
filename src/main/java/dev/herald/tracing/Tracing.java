package dev.herald.tracing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the attempt tracer that {@link TracingSettings} call for. */
public final class Tracing {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

  /** How long the last spans may take to be exported at shutdown. */
  static final long FLUSH_SECONDS = 5;

  private Tracing() {}

  /**
   * {@link AttemptTracer#NONE} for null settings (no SDK class is even loaded); otherwise an SDK
   * autoconfigured from the standard {@code OTEL_*} variables and the settings, with its batch span
   * processor (one exporting thread) and no shutdown hook of its own: {@link AttemptTracer#close}
   * flushes it after the last attempt is recorded.
   */
  public static AttemptTracer start(TracingSettings settings) {
    if (settings == null) {
      return AttemptTracer.NONE;
    }
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(settings::defaults)
            .addPropertiesCustomizer(config -> settings.overrides())
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    String description = "attempt spans exported over OTLP (" + TracingSettings.PROTOCOL + ")";
    LOG.info("tracing: {} to {}", description, settings.endpoint());
    return new OtelAttemptTracer(
        sdk.getTracerProvider(),
        () -> {
          var done = sdk.shutdown().join(FLUSH_SECONDS, TimeUnit.SECONDS);
          if (!done.isSuccess()) {
            LOG.warn("tracing: the last spans were not all exported within {} s", FLUSH_SECONDS);
          }
        },
        description);
  }
}
