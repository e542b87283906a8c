package dev.herald.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.http.AttemptResult;
import dev.herald.http.TraceHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtelAttemptTracerTest {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PRODUCER_SPAN = "00f067aa0ba902b7";
  static final TraceHeaders PRODUCER =
      new TraceHeaders("00-" + TRACE_ID + "-" + PRODUCER_SPAN + "-01", "rojo=1,congo=2");

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  final AttemptTracer tracer = new OtelAttemptTracer(provider, provider::close, "test");

  static final AttemptInfo INFO =
      new AttemptInfo(
          "shop",
          "billing",
          "billing-1a2b3c4d5e",
          "order-1",
          3,
          "evt_1",
          "order.created",
          "https://hooks.example.com:8443/in?token=secret#frag");

  @AfterEach
  void close() {
    tracer.close();
  }

  @Test
  void theAttemptSpanIsAChildOfTheProducerAndTheRequestCarriesTheSpansOwnId() {
    AttemptTracer.Span span = tracer.start(INFO, PRODUCER);
    span.end(new AttemptResult(INFO.url(), 503, ErrorClass.Http5xx, "HTTP 503", "busy", 42, null));

    SpanData data = exporter.getFinishedSpanItems().get(0);
    assertThat(data.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(data.getParentSpanId()).isEqualTo(PRODUCER_SPAN);
    assertThat(data.getParentSpanContext().isRemote()).isTrue();
    assertThat(data.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(data.getName()).isEqualTo("webhook attempt");
    assertThat(span.outgoing())
        .isEqualTo(
            new TraceHeaders("00-" + TRACE_ID + "-" + data.getSpanId() + "-01", "rojo=1,congo=2"));
    assertThat(data.getSpanId()).isNotEqualTo(PRODUCER_SPAN);
  }

  @Test
  void theSpanSaysWhichAttemptItWasAndHowItEnded() {
    tracer
        .start(INFO, PRODUCER)
        .end(new AttemptResult(INFO.url(), 503, ErrorClass.Http5xx, "HTTP 503", "busy", 42, null));
    SpanData data = exporter.getFinishedSpanItems().get(0);
    var attributes = data.getAttributes();
    assertThat(attributes.get(AttributeKey.stringKey("http.request.method"))).isEqualTo("POST");
    assertThat(attributes.get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(503L);
    assertThat(attributes.get(AttributeKey.stringKey("error.type"))).isEqualTo("Http5xx");
    assertThat(attributes.get(AttributeKey.stringKey("k8s.namespace.name"))).isEqualTo("shop");
    assertThat(attributes.get(AttributeKey.stringKey("herald.endpoint"))).isEqualTo("billing");
    assertThat(attributes.get(AttributeKey.stringKey("herald.delivery")))
        .isEqualTo("billing-1a2b3c4d5e");
    assertThat(attributes.get(AttributeKey.stringKey("herald.event"))).isEqualTo("order-1");
    assertThat(attributes.get(AttributeKey.longKey("herald.attempt"))).isEqualTo(3L);
    assertThat(attributes.get(AttributeKey.stringKey("herald.webhook_id"))).isEqualTo("evt_1");
    assertThat(attributes.get(AttributeKey.stringKey("herald.event_type")))
        .isEqualTo("order.created");
    assertThat(attributes.get(AttributeKey.longKey("herald.duration_ms"))).isEqualTo(42L);
    assertThat(attributes.get(AttributeKey.stringKey("url.full")))
        .as("no query: it may hold a receiver's token")
        .isEqualTo("https://hooks.example.com:8443/in");
    assertThat(attributes.get(AttributeKey.stringKey("server.address")))
        .isEqualTo("hooks.example.com");
    assertThat(attributes.get(AttributeKey.longKey("server.port"))).isEqualTo(8443L);
    assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(data.getStatus().getDescription()).isEqualTo("HTTP 503");
    assertThat(attributes.asMap().values()).noneMatch(v -> v.toString().contains("busy"));
  }

  @Test
  void aDeliveredAttemptHasNoErrorAndAFailureWithoutAnswerNoStatusCode() {
    AttemptInfo first =
        new AttemptInfo("shop", "billing", null, "order-1", 1, "evt_1", "t", "https://h/x");
    tracer
        .start(first, null)
        .end(new AttemptResult("https://h/x", 204, null, "HTTP 204", null, 5, null));
    tracer
        .start(first, null)
        .end(
            new AttemptResult(
                "https://h/x", null, ErrorClass.ConnectionFailed, "refused", null, 1, null));
    var spans = exporter.getFinishedSpanItems();
    assertThat(spans.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(spans.get(0).getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
    assertThat(spans.get(0).getAttributes().get(AttributeKey.stringKey("herald.delivery")))
        .isNull();
    assertThat(spans.get(0).getAttributes().get(AttributeKey.longKey("server.port")))
        .isEqualTo(443L);
    assertThat(spans.get(1).getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isNull();
    assertThat(spans.get(1).getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("ConnectionFailed");
  }

  @Test
  void withoutAProducerContextTheAttemptStartsATraceOfItsOwnAndSendsIt() {
    AttemptTracer.Span span = tracer.start(INFO, null);
    span.end(new AttemptResult(INFO.url(), 200, null, "HTTP 200", null, 1, null));
    SpanData data = exporter.getFinishedSpanItems().get(0);
    assertThat(data.getParentSpanContext().isValid()).isFalse();
    // sampled, and (W3C level 2) a random trace id
    assertThat(span.outgoing().traceparent())
        .isEqualTo("00-" + data.getTraceId() + "-" + data.getSpanId() + "-03");
    assertThat(span.outgoing().tracestate()).isNull();
  }

  @Test
  void anUnsampledProducerIsNotRecordedButItsTraceGoesOn() {
    AttemptTracer.Span span =
        tracer.start(INFO, new TraceHeaders("00-" + TRACE_ID + "-" + PRODUCER_SPAN + "-00", null));
    span.end(new AttemptResult(INFO.url(), 200, null, "HTTP 200", null, 1, null));
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
    assertThat(span.outgoing().traceparent()).startsWith("00-" + TRACE_ID + "-").endsWith("-00");
  }

  @Test
  void aSpanEndsOnce() {
    AttemptTracer.Span span = tracer.start(INFO, PRODUCER);
    AttemptResult ok = new AttemptResult(INFO.url(), 200, null, "HTTP 200", null, 1, null);
    span.end(ok);
    span.end(ok);
    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
  }

  @Test
  void withoutTracingTheProducersContextGoesOnUnchanged() {
    AttemptTracer.Span span = AttemptTracer.NONE.start(INFO, PRODUCER);
    assertThat(span.outgoing()).isSameAs(PRODUCER);
    span.end(new AttemptResult(INFO.url(), 200, null, "HTTP 200", null, 1, null));
    assertThat(AttemptTracer.NONE.start(INFO, null).outgoing()).isNull();
  }
}
