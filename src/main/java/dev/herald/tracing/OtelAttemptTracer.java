package dev.herald.tracing;

import dev.herald.http.AttemptResult;
import dev.herald.http.TraceHeaders;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Attempt spans through an OpenTelemetry tracer provider: each attempt's span is a child of the
 * producer's context, and the attempt sends the span's own context (the producer's trace id, the
 * span's id as parent id, the producer's tracestate), as an instrumented HTTP client would.
 */
final class OtelAttemptTracer implements AttemptTracer {
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final String SCOPE = "dev.herald";

  private final Tracer tracer;
  private final Runnable shutdown;
  private final String description;

  /**
   * @param shutdown exports what is buffered and stops the provider (at most a few seconds)
   */
  OtelAttemptTracer(TracerProvider provider, Runnable shutdown, String description) {
    this.tracer = provider.get(SCOPE);
    this.shutdown = shutdown;
    this.description = description;
  }

  @Override
  public Span start(AttemptInfo info, TraceHeaders producer) {
    Context parent = producer == null ? Context.root() : W3C.extract(Context.root(), producer, GET);
    io.opentelemetry.api.trace.Span span =
        tracer
            .spanBuilder(AttemptSpans.NAME)
            .setParent(parent)
            .setSpanKind(SpanKind.CLIENT)
            .setAllAttributes(AttemptSpans.start(info))
            .startSpan();
    Map<String, String> carrier = new HashMap<>();
    W3C.inject(Context.root().with(span), carrier, Map::put);
    String traceparent = carrier.get(TraceHeaders.TRACEPARENT);
    // a span context is always valid with the SDK; should it not be, the producer's goes on
    TraceHeaders outgoing =
        traceparent == null
            ? producer
            : new TraceHeaders(traceparent, carrier.get(TraceHeaders.TRACESTATE));
    return new Span() {
      private final AtomicBoolean ended = new AtomicBoolean();

      @Override
      public TraceHeaders outgoing() {
        return outgoing;
      }

      @Override
      public void end(AttemptResult result) {
        if (!ended.compareAndSet(false, true)) {
          return;
        }
        span.setAllAttributes(AttemptSpans.end(result));
        if (!result.succeeded()) {
          // the message never holds key material (AttemptResult); the excerpt is left out
          span.setStatus(StatusCode.ERROR, result.message());
        }
        span.end();
      }
    };
  }

  @Override
  public void close() {
    shutdown.run();
  }

  @Override
  public String toString() {
    return description;
  }

  /** Reads the producer's two headers for the propagator. */
  private static final TextMapGetter<TraceHeaders> GET =
      (carrier, key) -> {
        if (carrier == null) {
          return null;
        }
        return switch (key) {
          case TraceHeaders.TRACEPARENT -> carrier.traceparent();
          case TraceHeaders.TRACESTATE -> carrier.tracestate();
          default -> null;
        };
      };
}
