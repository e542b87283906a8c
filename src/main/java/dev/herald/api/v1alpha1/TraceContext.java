package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * A W3C trace context (https://www.w3.org/TR/trace-context/) that a producer hands on with an event
 * or delivery, so that the receiver's trace of each attempt joins the producer's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TraceContext {
  @Required
  @Size(min = Schemas.TRACEPARENT_LENGTH, max = Schemas.TRACEPARENT_LENGTH)
  @Pattern(Schemas.TRACEPARENT)
  @JsonPropertyDescription(
      "The producer's W3C traceparent, version-traceid-parentid-flags in lower-case hex, e.g."
          + " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 (55 characters); sent on every"
          + " attempt as the traceparent header (with Herald's attempt span as parent when the"
          + " operator exports spans). All-zero ids or version ff are ignored with a Warning Event.")
  private String traceparent;

  @Size(max = Schemas.TRACESTATE_MAX_LENGTH)
  @Pattern(Schemas.TRACESTATE)
  @JsonPropertyDescription(
      "Optional W3C tracestate sent with it: comma-separated key=value members, at most 32 with"
          + " distinct keys, at most 512 characters, e.g. vendor=abc. One with a key twice or more"
          + " members is left out with a Warning Event; the traceparent is still sent.")
  private String tracestate;

  public TraceContext() {}

  public TraceContext(String traceparent, String tracestate) {
    this.traceparent = traceparent;
    this.tracestate = tracestate;
  }

  public String getTraceparent() {
    return traceparent;
  }

  public void setTraceparent(String traceparent) {
    this.traceparent = traceparent;
  }

  public String getTracestate() {
    return tracestate;
  }

  public void setTracestate(String tracestate) {
    this.tracestate = tracestate;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceContext other
        && Objects.equals(traceparent, other.traceparent)
        && Objects.equals(tracestate, other.tracestate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(traceparent, tracestate);
  }
}
