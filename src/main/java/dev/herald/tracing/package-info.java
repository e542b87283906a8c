/**
 * W3C trace context on attempts and, with an OTLP endpoint configured, one OpenTelemetry span per
 * attempt. Nothing here starts the SDK unless {@link dev.herald.tracing.TracingSettings} says an
 * endpoint is configured: without one, attempts carry the producer's trace context as it came.
 */
package dev.herald.tracing;
