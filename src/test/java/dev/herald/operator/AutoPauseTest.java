package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.FailurePolicySpec;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * failurePolicy pauses a failing endpoint, says why, holds deliveries, and resuming re-drives them.
 */
@EnableKubernetesMockClient(crud = true)
class AutoPauseTest extends OperatorTestBase {

  @Test
  void pausesAfterExhaustedDeliveriesAndResumesOnRequest() {
    receiver.always(Response.of(500, "down"));
    WebhookEndpoint e = endpoint(ns, "flaky", receiver.url("/hook"), "1s");
    FailurePolicySpec policy = new FailurePolicySpec();
    policy.setPauseAfterExhausted(2);
    e.getSpec().setFailurePolicy(policy);
    create(e);
    create(delivery(ns, "d1", "flaky", "{}"));
    awaitPhase("d1", DeliveryPhase.Exhausted);
    create(delivery(ns, "d2", "flaky", "{}"));
    awaitPhase("d2", DeliveryPhase.Exhausted);

    await()
        .atMost(WAIT)
        .until(() -> herald.endpoint(ns, "flaky").getStatus().getAutoPaused() != null);
    WebhookEndpoint paused = herald.endpoint(ns, "flaky");
    assertThat(paused.getStatus().getAutoPaused().getReason()).isEqualTo("ExhaustedDeliveries");
    assertThat(paused.getStatus().getPhase()).isEqualTo(EndpointPhase.Paused);
    // the Event is written just after the status
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(herald.events(ns, "flaky"))
                    .anySatisfy(ev -> assertThat(ev.getReason()).isEqualTo("AutoPaused")));
    int sent = receiver.received().size();

    create(delivery(ns, "d3", "flaky", "{}"));
    awaitDeliveryReason("d3", "EndpointPaused");
    assertThat(herald.delivery(ns, "d3").getStatus().getPhase()).isEqualTo(DeliveryPhase.Pending);
    assertThat(herald.delivery(ns, "d3").getStatus().getConditions().get(0).getMessage())
        .contains("failurePolicy");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> receiver.received().size() == sent);

    receiver.always(Response.of(200, "back"));
    editEndpoint(
        "flaky",
        x -> {
          x.getMetadata()
              .setAnnotations(
                  new java.util.HashMap<>(java.util.Map.of(Herald.ANNOTATION_RESUME, "1")));
          return x;
        });
    awaitPhase("d3", DeliveryPhase.Succeeded);
    await()
        .atMost(WAIT)
        .until(() -> herald.endpoint(ns, "flaky").getStatus().getPhase() == EndpointPhase.Active);
    assertThat(herald.endpoint(ns, "flaky").getStatus().getAutoPaused()).isNull();
    assertThat(herald.events(ns, "flaky"))
        .anySatisfy(ev -> assertThat(ev.getReason()).isEqualTo("Resumed"));
  }

  @Test
  void goneCanPauseTheEndpoint() {
    receiver.always(Response.of(410));
    WebhookEndpoint e = endpoint(ns, "retired", receiver.url("/hook"), "1s");
    FailurePolicySpec policy = new FailurePolicySpec();
    policy.setPauseOnGone(true);
    e.getSpec().setFailurePolicy(policy);
    create(e);
    create(delivery(ns, "last", "retired", "{}"));
    awaitPhase("last", DeliveryPhase.Exhausted);
    await()
        .atMost(WAIT)
        .until(() -> herald.endpoint(ns, "retired").getStatus().getAutoPaused() != null);
    assertThat(herald.endpoint(ns, "retired").getStatus().getAutoPaused().getReason())
        .isEqualTo("Gone");
  }
}
