package dev.herald.e2e;

import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.OperatorProcess;
import dev.herald.testing.OtlpReceiver;
import dev.herald.testing.OtlpReceiver.ReceivedSpan;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tracing on the real API server: a delivery and an event with {@code spec.traceContext} reach the
 * receiver with the producer's trace id in {@code traceparent} (and its tracestate), and the
 * operator started with {@code --otlp-endpoint} exports one span per attempt, with its outcome, to
 * a local OTLP receiver that decodes the protobuf. The batch delay is set far beyond the test, so
 * the spans arrive only through the flush at shutdown (SIGTERM). The schema refuses a malformed
 * traceparent or a tracestate with CR/LF at apply time.
 */
class TracingE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("tracing");

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PRODUCER_SPAN = "00f067aa0ba902b7";
  static final String EVENT_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void theReceiversTraceJoinsTheProducersAndEachAttemptIsASpanWithItsOutcome() throws Exception {
    // the delivery: 503 then 200; the event: its first attempt 503, its delivery's retry 200
    TestReceiver receiver =
        env.receiver()
            .thenRespond(Response.of(503), Response.of(200), Response.of(503), Response.of(200));
    try (OtlpReceiver otlp = OtlpReceiver.start()) {
      OperatorProcess operator =
          env.startOperator(
                  Map.of("OTEL_SERVICE_NAME", "herald-e2e", "OTEL_BSP_SCHEDULE_DELAY", "600000"),
                  List.of("--otlp-endpoint", otlp.url()))
              .awaitStarted();
      env.apply(endpoint("traced", receiver.url("/hooks"), "1s"));
      env.awaitField("whe", "traced", ".status.signingSecretName", s -> !s.isBlank());
      env.apply(
          """
          apiVersion: herald.dev/v1alpha1
          kind: WebhookDelivery
          metadata: {name: order-1}
          spec:
            endpointRef: {name: traced}
            eventType: order.created
            payload: {orderId: 1}
            traceContext:
              traceparent: 00-%s-%s-01
              tracestate: rojo=00f067aa0ba902b7
          """
              .formatted(TRACE_ID, PRODUCER_SPAN));
      env.awaitDeliveryPhase("order-1", "Succeeded");
      String uid = env.jsonpath("whd", "order-1", ".metadata.uid");

      env.apply(
          """
          apiVersion: herald.dev/v1alpha1
          kind: WebhookEvent
          metadata: {name: order-2}
          spec:
            eventType: order.created
            eventId: evt_2
            payload: {orderId: 2}
            traceContext: {traceparent: 00-%s-b7ad6b7169203331-01}
          """
              .formatted(EVENT_TRACE_ID));
      env.awaitField("whev", "order-2", ".status.failed", "1"::equals);
      String fannedOut = env.jsonpath("whev", "order-2", ".status.outcomes[0].delivery");
      env.awaitDeliveryPhase(fannedOut, "Succeeded");
      assertThat(env.jsonpath("whd", fannedOut, ".spec.traceContext.traceparent"))
          .isEqualTo("00-" + EVENT_TRACE_ID + "-b7ad6b7169203331-01");

      List<TestReceiver.Received> got = receiver.received();
      assertThat(got).hasSize(4);
      for (TestReceiver.Received r : got.subList(0, 2)) {
        assertThat(r.header("traceparent"))
            .as("the producer's trace id, Herald's attempt span as parent")
            .matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01")
            .doesNotContain(PRODUCER_SPAN);
        assertThat(r.header("tracestate")).isEqualTo("rojo=00f067aa0ba902b7");
      }
      for (TestReceiver.Received r : got.subList(2, 4)) {
        assertThat(r.header("traceparent")).startsWith("00-" + EVENT_TRACE_ID + "-");
        assertThat(r.header("tracestate")).isNull();
      }
      assertThat(otlp.spans()).as("batched until the flush at shutdown").isEmpty();

      operator.stop();
      await().atMost(E2EEnvironment.WAIT).until(() -> otlp.spans().size() >= 4);
      List<ReceivedSpan> delivery =
          otlp.spans().stream().filter(s -> s.traceId().equals(TRACE_ID)).toList();
      assertThat(delivery).hasSize(2);
      ReceivedSpan first = attempt(delivery, 1);
      ReceivedSpan second = attempt(delivery, 2);
      for (ReceivedSpan s : delivery) {
        assertThat(s.serviceName()).isEqualTo("herald-e2e");
        assertThat(s.name()).isEqualTo("webhook attempt");
        assertThat(s.parentSpanId()).isEqualTo(PRODUCER_SPAN);
        assertThat(s.attributes())
            .containsEntry("k8s.namespace.name", env.ns())
            .containsEntry("herald.endpoint", "traced")
            .containsEntry("herald.delivery", "order-1")
            .containsEntry("herald.webhook_id", uid)
            .containsEntry("url.full", receiver.url("/hooks"));
      }
      assertThat(first.attributes())
          .containsEntry("http.response.status_code", 503L)
          .containsEntry("error.type", "Http5xx");
      assertThat(first.statusCode()).isEqualTo("STATUS_CODE_ERROR");
      assertThat(second.attributes())
          .containsEntry("http.response.status_code", 200L)
          .doesNotContainKey("error.type");
      assertThat(got.get(0).header("traceparent")).contains("-" + first.spanId() + "-");
      assertThat(got.get(1).header("traceparent")).contains("-" + second.spanId() + "-");

      List<ReceivedSpan> event =
          otlp.spans().stream().filter(s -> s.traceId().equals(EVENT_TRACE_ID)).toList();
      assertThat(event)
          .hasSize(2)
          .allSatisfy(
              s -> {
                assertThat(s.parentSpanId()).isEqualTo("b7ad6b7169203331");
                assertThat(s.attributes())
                    .containsEntry("herald.event", "order-2")
                    .containsEntry("herald.webhook_id", "evt_2");
              });
      ReceivedSpan eventsOwn = attempt(event, 1);
      assertThat(eventsOwn.attributes())
          .containsEntry("http.response.status_code", 503L)
          .doesNotContainKey("herald.delivery");
      ReceivedSpan retry = attempt(event, 2);
      assertThat(retry.attributes())
          .containsEntry("herald.delivery", fannedOut)
          .containsEntry("http.response.status_code", 200L);
      assertThat(got.get(2).header("traceparent")).contains("-" + eventsOwn.spanId() + "-");
      assertThat(got.get(3).header("traceparent")).contains("-" + retry.spanId() + "-");
    }
  }

  @Test
  void theSchemaRefusesAMalformedTraceContext() {
    for (String traceContext :
        List.of(
            "{traceparent: 00-%s-%s-01}".formatted(TRACE_ID.toUpperCase(), PRODUCER_SPAN),
            "{traceparent: 00-%s-%s}".formatted(TRACE_ID, PRODUCER_SPAN),
            "{traceparent: 00-%s-%s-01, tracestate: \"a=1\\r\\nx: y\"}"
                .formatted(TRACE_ID, PRODUCER_SPAN),
            "{tracestate: a=1}")) {
      var result =
          env.kubectl()
              .runWithInput(
                  """
                  apiVersion: herald.dev/v1alpha1
                  kind: WebhookDelivery
                  metadata: {name: refused}
                  spec:
                    endpointRef: {name: traced}
                    eventType: order.created
                    payload: {orderId: 1}
                    traceContext: %s
                  """
                      .formatted(traceContext),
                  "apply",
                  "-n",
                  env.ns(),
                  "-f",
                  "-");
      assertThat(result.ok()).as(traceContext).isFalse();
      assertThat(result.stderr()).as(traceContext).contains("spec.traceContext");
    }
    assertThat(env.exists("whd", "refused")).isFalse();
  }

  private static ReceivedSpan attempt(List<ReceivedSpan> spans, long n) {
    return spans.stream()
        .filter(s -> Long.valueOf(n).equals(s.attributes().get("herald.attempt")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span of attempt " + n + " in " + spans));
  }
}
