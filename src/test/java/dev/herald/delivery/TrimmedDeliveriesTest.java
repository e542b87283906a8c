package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.AttemptRecord;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointRef;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.kube.Conditions;
import dev.herald.kube.TrimmedStore;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrimmedDeliveriesTest {

  @Test
  void storesOnlyWhatRetentionAndReplayRead() {
    TrimmedStore<WebhookDelivery> store = new TrimmedStore<>(TrimmedDeliveries::trim);
    WebhookDelivery full = full();
    String key = store.getKey(full);
    assertThat(key).isEqualTo("ns/d1");
    store.put(key, full);

    WebhookDelivery kept = store.get(key);
    assertThat(kept).isNotSameAs(full);
    var meta = kept.getMetadata();
    assertThat(meta.getName()).isEqualTo("d1");
    assertThat(meta.getNamespace()).isEqualTo("ns");
    assertThat(meta.getUid()).isEqualTo("uid-1");
    assertThat(meta.getResourceVersion()).isEqualTo("42");
    assertThat(meta.getLabels())
        .isEqualTo(Map.of(Herald.LABEL_PHASE, "Succeeded", Herald.LABEL_ENDPOINT, "billing"));
    assertThat(meta.getAnnotations()).isEqualTo(Map.of(Herald.ANNOTATION_REPLAY, "r1"));
    assertThat(meta.getManagedFields()).isNullOrEmpty();
    assertThat(meta.getOwnerReferences()).isNullOrEmpty();
    assertThat(meta.getCreationTimestamp()).isNull();

    assertThat(kept.getSpec().getEndpointRef().getName()).isEqualTo("billing");
    assertThat(kept.getSpec().getPayload()).isNull();
    assertThat(kept.getSpec().getEventType()).isNull();
    assertThat(kept.getSpec().getDeliveryId()).isNull();

    WebhookDeliveryStatus status = kept.getStatus();
    assertThat(status.getPhase()).isEqualTo(DeliveryPhase.Succeeded);
    assertThat(status.getCompletionTime()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(status.getObservedReplay()).isEqualTo("r0");
    assertThat(status.getAttemptLog()).isNull();
    assertThat(status.getConditions()).isNull();
    assertThat(status.getAttempts()).isNull();
    assertThat(status.getLastError()).isNull();

    // the informer compares resource versions and hands the old value to update handlers
    WebhookDelivery newer = full();
    newer.getMetadata().setResourceVersion("43");
    assertThat(store.put(key, newer).getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.values()).allMatch(d -> d.getSpec().getPayload() == null);
    assertThat(store.remove(key)).isNotNull();
    assertThat(store.size()).isZero();
  }

  @Test
  void aDeliveryWithoutAnnotationsOrStatusTrimsToEmpty() {
    WebhookDelivery bare = new WebhookDelivery();
    bare.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("bare").build());
    WebhookDelivery kept = TrimmedDeliveries.trim(bare);
    assertThat(kept.getMetadata().getAnnotations()).isNull();
    assertThat(kept.getSpec().getEndpointRef()).isNull();
    assertThat(kept.getStatus().getPhase()).isNull();
  }

  @Test
  void finishedPhaseConstantsAreTheFinishedPhases() {
    List<String> finished =
        Arrays.stream(DeliveryPhase.values())
            .filter(DeliveryPhase::isFinished)
            .map(Enum::name)
            .toList();
    assertThat(List.of(Herald.PHASE_SUCCEEDED, Herald.PHASE_EXHAUSTED, Herald.PHASE_CANCELLED))
        .containsExactlyInAnyOrderElementsOf(finished);
    assertThat(Herald.SELECT_UNFINISHED)
        .isEqualTo("herald.dev/phase notin (Succeeded,Exhausted,Cancelled)");
    assertThat(Herald.SELECT_FINISHED)
        .isEqualTo("herald.dev/phase in (Succeeded,Exhausted,Cancelled)");
  }

  static WebhookDelivery full() {
    WebhookDelivery d = new WebhookDelivery();
    d.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("ns")
            .withName("d1")
            .withUid("uid-1")
            .withResourceVersion("42")
            .withGeneration(1L)
            .withCreationTimestamp("2026-11-25T09:59:00Z")
            .withLabels(Map.of(Herald.LABEL_PHASE, "Succeeded", Herald.LABEL_ENDPOINT, "billing"))
            .withAnnotations(
                Map.of(
                    Herald.ANNOTATION_REPLAY,
                    "r1",
                    "kubectl.kubernetes.io/last-applied-configuration",
                    "x".repeat(4000)))
            .withManagedFields(new ManagedFieldsEntry())
            .withOwnerReferences(new OwnerReference())
            .build());
    WebhookDeliverySpec spec = new WebhookDeliverySpec();
    spec.setEndpointRef(new EndpointRef("billing"));
    spec.setEventType("order.created");
    spec.setDeliveryId("id-1");
    spec.setPayload(
        JsonNodeFactory.instance.objectNode().put("order", 7).put("blob", "y".repeat(10_000)));
    d.setSpec(spec);
    WebhookDeliveryStatus status = new WebhookDeliveryStatus();
    status.setPhase(DeliveryPhase.Succeeded);
    status.setAttempts(1);
    status.setCompletionTime("2026-11-25T10:00:00Z");
    status.setObservedReplay("r0");
    AttemptRecord attempt = new AttemptRecord();
    attempt.setAttempt(1);
    status.setAttemptLog(List.of(attempt));
    status.setConditions(
        Conditions.set(
            null,
            Conditions.READY,
            true,
            dev.herald.api.v1alpha1.DeliveryReason.Delivered,
            "HTTP 200",
            1L,
            Instant.parse("2026-11-25T10:00:00Z")));
    d.setStatus(status);
    return d;
  }
}
