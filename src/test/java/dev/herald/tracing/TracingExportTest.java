package dev.herald.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.http.AttemptResult;
import dev.herald.http.TraceHeaders;
import dev.herald.testing.OtlpReceiver;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SDK as {@link Tracing#start} configures it, exporting to a local OTLP receiver that decodes
 * the protobuf: what an attempt records arrives, at the latest when the tracer closes (no wait for
 * the batch delay), over HTTP/protobuf.
 */
class TracingExportTest {
  @Test
  void withoutSettingsNoSdkIsStarted() {
    assertThat(Tracing.start(null)).isSameAs(AttemptTracer.NONE);
  }

  @Test
  void closingFlushesTheSpansToTheOtlpEndpoint() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start()) {
      AttemptTracer tracer = Tracing.start(TracingSettings.of(otlp.url(), Map.of()).orElseThrow());
      TraceHeaders producer =
          new TraceHeaders("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);
      AttemptTracer.Span span =
          tracer.start(
              new AttemptInfo("ns", "ep", "d", null, 2, "id-1", "t", "https://h/x"), producer);
      span.end(
          new AttemptResult("https://h/x", 500, ErrorClass.Http5xx, "HTTP 500", null, 3, null));
      assertThat(otlp.spans()).as("batched: nothing sent before the delay or a flush").isEmpty();
      tracer.close();

      assertThat(otlp.spans())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.serviceName()).isEqualTo("herald");
                assertThat(s.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
                assertThat(s.parentSpanId()).isEqualTo("00f067aa0ba902b7");
                assertThat(span.outgoing().traceparent()).contains("-" + s.spanId() + "-");
                assertThat(s.statusCode()).isEqualTo("STATUS_CODE_ERROR");
                assertThat(s.attributes())
                    .containsEntry("http.response.status_code", 500L)
                    .containsEntry("error.type", "Http5xx")
                    .containsEntry("herald.attempt", 2L)
                    .containsEntry("herald.webhook_id", "id-1");
              });
      assertThat(otlp.contentTypes()).containsOnly("application/x-protobuf");
    }
  }
}
