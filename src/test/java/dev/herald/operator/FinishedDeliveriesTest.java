package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.delivery.FinishedDeliveries;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.processing.Controller;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Memory follows the work in flight: a finished delivery leaves the controller's cache, and the
 * history informer keeps only a trimmed copy of it (no payload, no attempt log).
 */
@EnableKubernetesMockClient(crud = true)
class FinishedDeliveriesTest extends OperatorTestBase {

  @Test
  void finishedDeliveriesLeaveTheControllerCacheAndAreKeptTrimmed() {
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s"));
    WebhookDelivery d = delivery(ns, "done", "billing", "{\"order\": 7, \"lines\": [1, 2, 3]}");
    d.getMetadata().setAnnotations(Map.of("note", "not needed for history"));
    create(d);
    create(delivery(ns, "also-done", "billing", "{}"));
    awaitPhase("done", DeliveryPhase.Succeeded);
    awaitPhase("also-done", DeliveryPhase.Succeeded);

    await()
        .atMost(WAIT)
        .until(
            () ->
                primaryCache().isEmpty()
                    && finished("done").isPresent()
                    && finished("also-done").isPresent());
    WebhookDelivery trimmed = finished("done").orElseThrow();
    assertThat(trimmed.getMetadata().getUid())
        .isEqualTo(herald.delivery(ns, "done").getMetadata().getUid());
    assertThat(trimmed.getMetadata().getLabels()).containsEntry(Herald.LABEL_PHASE, "Succeeded");
    assertThat(trimmed.getMetadata().getAnnotations()).isNull();
    assertThat(trimmed.getSpec().getEndpointRef().getName()).isEqualTo("billing");
    assertThat(trimmed.getSpec().getPayload()).isNull();
    assertThat(trimmed.getSpec().getEventType()).isNull();
    assertThat(trimmed.getStatus().getPhase()).isEqualTo(DeliveryPhase.Succeeded);
    assertThat(trimmed.getStatus().getCompletionTime()).isNotNull();
    assertThat(trimmed.getStatus().getAttemptLog()).isNull();
    assertThat(trimmed.getStatus().getConditions()).isNull();

    // a replay brings it back into the controller's cache, and out again once it finished
    annotateDelivery("done", Herald.ANNOTATION_REPLAY, "r1");
    await().atMost(WAIT).until(() -> receiver.received().size() == 3);
    await()
        .atMost(WAIT)
        .until(
            () ->
                finished("done")
                    .map(f -> "r1".equals(f.getStatus().getObservedReplay()))
                    .orElse(false));
    assertThat(finished("done").orElseThrow().getMetadata().getAnnotations())
        .isEqualTo(Map.of(Herald.ANNOTATION_REPLAY, "r1"));
    await().atMost(WAIT).until(() -> primaryCache().isEmpty());
    assertThat(herald.delivery(ns, "done").getStatus().getAttemptLog()).hasSize(2);
  }

  @SuppressWarnings("unchecked")
  private Controller<WebhookDelivery> controller() {
    return (Controller<WebhookDelivery>)
        herald.operator().runtimeInfo().getRegisteredController("webhookdelivery");
  }

  private List<WebhookDelivery> primaryCache() {
    return controller()
        .getEventSourceManager()
        .getControllerEventSource()
        .list(d -> ns.equals(d.getMetadata().getNamespace()))
        .toList();
  }

  private Optional<WebhookDelivery> finished(String name) {
    var source =
        (FinishedDeliveries)
            controller()
                .getEventSourceManager()
                .getEventSourceFor(WebhookDelivery.class, FinishedDeliveries.NAME);
    return source.list().stream()
        .filter(
            d ->
                ns.equals(d.getMetadata().getNamespace()) && name.equals(d.getMetadata().getName()))
        .findFirst();
  }
}
