package dev.herald.http;

import java.util.Objects;

/**
 * The W3C trace context headers of one attempt, already checked ({@code
 * dev.herald.tracing.TraceContexts}): the sender writes them as they are.
 *
 * @param traceparent the {@code traceparent} header, never null
 * @param tracestate the {@code tracestate} header, or null for none
 */
public record TraceHeaders(String traceparent, String tracestate) {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  public TraceHeaders {
    Objects.requireNonNull(traceparent, "traceparent");
  }
}
