package dev.herald.event;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.kube.Hashes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Names and labels of fanned-out deliveries. Names are a function of the event id and the endpoint,
 * so publishing twice is a no-op. Anyone may compute such a name in advance, so a delivery found
 * under it counts as this event's only when {@link #foreignBecause} says so.
 */
final class FanOut {
  private static final int MAX_NAME = 253;
  private static final Set<String> FINISHED =
      Set.of(Herald.PHASE_SUCCEEDED, Herald.PHASE_EXHAUSTED, Herald.PHASE_CANCELLED);
  private static final String EVENT_KIND = HasMetadata.getKind(WebhookEvent.class);

  private FanOut() {}

  /**
   * The event's own labels and Herald's: a delivery belongs to the same shard ({@code
   * --label-selector}), team or tenant as its event. The event's {@code herald.dev/} labels are not
   * copied: on a delivery they mean something else.
   */
  static Map<String, String> labels(Map<String, String> eventLabels, Map<String, String> heralds) {
    Map<String, String> labels = new TreeMap<>();
    if (eventLabels != null) {
      eventLabels.forEach(
          (key, value) -> {
            if (!key.startsWith(Herald.GROUP + "/")) {
              labels.put(key, value);
            }
          });
    }
    labels.putAll(heralds);
    return labels;
  }

  static String deliveryName(String namespace, String eventId, String endpointName) {
    String hash = HexFormat.of().formatHex(Hashes.sha256(namespace + "/" + eventId), 0, 5);
    return prefix(endpointName) + "-" + hash;
  }

  /**
   * For a delivery that cannot take its computed name: the API server appends random characters.
   */
  static String generateName(String endpointName) {
    return prefix(endpointName) + "-";
  }

  private static String prefix(String endpointName) {
    return endpointName.length() > MAX_NAME - 11
        ? endpointName.substring(0, MAX_NAME - 11)
        : endpointName;
  }

  /**
   * Why an existing delivery is not the one this event would create, or null when it is: made by a
   * fan-out (owned by a WebhookEvent, {@code ownerUid} when not null), carrying the event's labels
   * (its shard must handle it) and no finished phase label its status does not back (that label
   * hides a delivery from the operator), and sending the same request to the same endpoint. A
   * delivery of an earlier event with the same id passes; one created by hand under a precomputed
   * name, another endpoint whose name shares the truncated prefix, or a reused event id with
   * another payload do not. The reason names no value.
   */
  static String foreignBecause(WebhookDelivery existing, WebhookDelivery wanted, String ownerUid) {
    List<OwnerReference> owners = existing.getMetadata().getOwnerReferences();
    boolean owned =
        owners != null
            && owners.stream()
                .anyMatch(
                    o ->
                        EVENT_KIND.equals(o.getKind())
                            && o.getApiVersion() != null
                            && o.getApiVersion().startsWith(Herald.GROUP + "/")
                            && (ownerUid == null || ownerUid.equals(o.getUid())));
    if (!owned) {
      return "it was not created by a fan-out of this event";
    }
    Map<String, String> labels =
        existing.getMetadata().getLabels() == null ? Map.of() : existing.getMetadata().getLabels();
    boolean sameLabels =
        wanted.getMetadata().getLabels().entrySet().stream()
            .filter(l -> !l.getKey().startsWith(Herald.GROUP + "/"))
            .allMatch(l -> l.getValue().equals(labels.get(l.getKey())));
    if (!sameLabels) {
      return "its labels differ";
    }
    String phaseLabel =
        labels.get(Herald.LABEL_PHASE); // written after status: a finished one is backed by it
    if (phaseLabel != null
        && FINISHED.contains(phaseLabel)
        && (existing.getStatus() == null
            || existing.getStatus().getPhase() == null
            || !phaseLabel.equals(existing.getStatus().getPhase().name()))) {
      return "its phase label does not match its status";
    }
    WebhookDeliverySpec spec = existing.getSpec();
    WebhookDeliverySpec want = wanted.getSpec();
    if (spec == null
        || spec.getEndpointRef() == null
        || !Objects.equals(spec.getEndpointRef().getName(), want.getEndpointRef().getName())) {
      return "it is for another endpoint";
    }
    if (!Objects.equals(spec.getEventType(), want.getEventType())) {
      return "its event type differs";
    }
    if (!Objects.equals(spec.getDeliveryId(), want.getDeliveryId())) {
      return "its delivery id differs";
    }
    if (!Objects.equals(spec.getPayload(), want.getPayload())) {
      return "its payload differs";
    }
    return null;
  }
}
