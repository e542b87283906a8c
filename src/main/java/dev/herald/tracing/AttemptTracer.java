package dev.herald.tracing;

import dev.herald.http.AttemptResult;
import dev.herald.http.TraceHeaders;

/**
 * Traces attempts: {@link #start} before the request is sent (its {@link Span#outgoing} headers go
 * with it), {@link Span#end} with its result. {@link #NONE}, the tracer without an OTLP endpoint,
 * makes no span and hands the producer's context on as it came.
 */
public interface AttemptTracer extends AutoCloseable {
  /** One attempt's span. */
  interface Span {
    /** The trace context headers the attempt sends; null: none. */
    TraceHeaders outgoing();

    /** Records the outcome and ends the span; once. */
    void end(AttemptResult result);
  }

  /**
   * Starts the span of the attempt {@code info}, a child of {@code producer} (the checked trace
   * context of the delivery or event; null: a trace of its own).
   */
  Span start(AttemptInfo info, TraceHeaders producer);

  /** Exports what is still buffered and stops; spans started later are not exported. */
  @Override
  void close();

  /** No spans: the attempt sends the producer's trace context, unchanged, or none. */
  AttemptTracer NONE =
      new AttemptTracer() {
        @Override
        public Span start(AttemptInfo info, TraceHeaders producer) {
          return new Span() {
            @Override
            public TraceHeaders outgoing() {
              return producer;
            }

            @Override
            public void end(AttemptResult result) {}
          };
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
          return "tracing off";
        }
      };
}
