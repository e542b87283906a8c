package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.TraceContext;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.api.v1alpha1.WebhookEventSpec;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

/**
 * A producer's trace context on a delivery or an event reaches every attempt's request (the mock
 * server checks no schema, so invalid contexts also reach the operator here, as objects stored
 * before the CRD's patterns would).
 */
@EnableKubernetesMockClient(crud = true)
class TracePropagationTest extends OperatorTestBase {
  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void everyAttemptOfADeliveryCarriesItsTraceContext() {
    receiver.thenRespond(Response.of(503), Response.of(200));
    create(endpoint(ns, "a", receiver.url("/a"), "1s"));
    WebhookDelivery d = delivery(ns, "d1", "a", "{\"n\": 1}");
    d.getSpec().setTraceContext(new TraceContext(TRACEPARENT, "rojo=1"));
    create(d);
    awaitPhase("d1", DeliveryPhase.Succeeded);
    assertThat(receiver.received())
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.header("traceparent")).isEqualTo(TRACEPARENT);
              assertThat(r.header("tracestate")).isEqualTo("rojo=1");
            });
  }

  @Test
  void theEventsFirstAttemptAndTheDeliveryThatRetriesItCarryTheEventsTraceContext() {
    receiver.thenRespond(Response.of(500), Response.of(200));
    create(endpoint(ns, "a", receiver.url("/a"), "1s"));
    awaitEndpointReason("a", "Ready");
    create(event("e1", new TraceContext(TRACEPARENT, " rojo=1 ,congo=2")));
    await()
        .atMost(WAIT)
        .until(
            () -> client.resources(WebhookDelivery.class).inNamespace(ns).list().getItems(),
            l -> l.size() == 1);
    WebhookDelivery d =
        client.resources(WebhookDelivery.class).inNamespace(ns).list().getItems().get(0);
    assertThat(d.getSpec().getTraceContext())
        .as("checked and normalised, never copied raw")
        .isEqualTo(new TraceContext(TRACEPARENT, "rojo=1,congo=2"));
    awaitPhase(d.getMetadata().getName(), DeliveryPhase.Succeeded);
    assertThat(receiver.received())
        .as("the event's attempt 1, the delivery's attempt 2")
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.header("traceparent")).isEqualTo(TRACEPARENT);
              assertThat(r.header("tracestate")).isEqualTo("rojo=1,congo=2");
            });
  }

  @Test
  void anInvalidTraceContextIsNotSentAndAWarningEventSaysSoButTheEventIsPublished() {
    receiver.thenRespond(Response.of(500), Response.of(200));
    create(endpoint(ns, "a", receiver.url("/a"), "1s"));
    awaitEndpointReason("a", "Ready");
    String zeros = "00-00000000000000000000000000000000-00f067aa0ba902b7-01";
    create(event("e1", new TraceContext(zeros, "rojo=1")));
    await()
        .atMost(WAIT)
        .until(
            () -> herald.events(ns, "e1"),
            l -> l.stream().anyMatch(e -> e.getReason().equals("InvalidTraceContext")));
    var warning =
        herald.events(ns, "e1").stream()
            .filter(e -> e.getReason().equals("InvalidTraceContext"))
            .findFirst()
            .orElseThrow();
    assertThat(warning.getType()).isEqualTo("Warning");
    assertThat(warning.getMessage())
        .startsWith("spec.traceContext.traceparent is not a W3C traceparent")
        .doesNotContain(zeros);
    await().atMost(WAIT).until(() -> receiver.received().size() == 2);
    WebhookDelivery d =
        client.resources(WebhookDelivery.class).inNamespace(ns).list().getItems().get(0);
    assertThat(d.getSpec().getTraceContext()).isNull();
    assertThat(receiver.received())
        .allSatisfy(
            r -> assertThat(r.headers().names()).doesNotContain("traceparent", "tracestate"));

    // the same on a delivery of its own
    WebhookDelivery bad = delivery(ns, "d-bad", "a", "{\"n\": 2}");
    bad.getSpec().setTraceContext(new TraceContext("00-" + "a".repeat(32) + "-x-01", null));
    create(bad);
    awaitPhase("d-bad", DeliveryPhase.Succeeded);
    assertThat(herald.events(ns, "d-bad"))
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("InvalidTraceContext"));
    assertThat(receiver.received().get(2).headers().names()).doesNotContain("traceparent");
  }

  @Test
  void withoutAnOtlpEndpointNoOpenTelemetryThreadRuns() {
    // the harness's operator has no tracing settings; the SDK's batch processor is its only thread
    create(endpoint(ns, "a", receiver.url("/a"), "1s"));
    WebhookDelivery d = delivery(ns, "d1", "a", "{\"n\": 1}");
    d.getSpec().setTraceContext(new TraceContext(TRACEPARENT, null));
    create(d);
    awaitPhase("d1", DeliveryPhase.Succeeded);
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .noneMatch(name -> name.contains("BatchSpanProcessor"));
  }

  private WebhookEvent event(String name, TraceContext trace) {
    WebhookEvent event = new WebhookEvent();
    event.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    WebhookEventSpec spec = new WebhookEventSpec();
    spec.setEventType("order.created");
    spec.setEventId("evt-" + name);
    spec.setPayload(delivery(ns, "unused", "x", "{\"orderId\": 1}").getSpec().getPayload());
    spec.setTraceContext(trace);
    event.setSpec(spec);
    return event;
  }
}
