package dev.herald.delivery;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.EndpointRef;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.kube.TrimmedStore;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.HashMap;
import java.util.Map;

/**
 * What an informer's store keeps of each finished delivery ({@link TrimmedStore}): only what
 * retention and replay read. History may run to tens of thousands of deliveries, each with a
 * payload and an attempt log of up to 100 entries; the trimmed copy is a few hundred bytes.
 */
public final class TrimmedDeliveries {
  private TrimmedDeliveries() {}

  /**
   * Name, namespace, uid, resourceVersion (the informer compares it), labels and the replay
   * annotation; the endpoint reference; phase, completion time and the replay acted on.
   */
  public static WebhookDelivery trim(WebhookDelivery full) {
    ObjectMeta from = full.getMetadata();
    ObjectMeta meta = TrimmedStore.identity(from);
    meta.setLabels(labels(from.getLabels()));
    String replay =
        from.getAnnotations() == null ? null : from.getAnnotations().get(Herald.ANNOTATION_REPLAY);
    meta.setAnnotations(replay == null ? null : Map.of(Herald.ANNOTATION_REPLAY, replay));

    WebhookDelivery trimmed = new WebhookDelivery();
    trimmed.setMetadata(meta);
    WebhookDeliverySpec spec = new WebhookDeliverySpec();
    if (full.getSpec() != null && full.getSpec().getEndpointRef() != null) {
      spec.setEndpointRef(new EndpointRef(intern(full.getSpec().getEndpointRef().getName())));
    }
    trimmed.setSpec(spec);
    WebhookDeliveryStatus status = new WebhookDeliveryStatus();
    if (full.getStatus() != null) {
      status.setPhase(full.getStatus().getPhase());
      status.setCompletionTime(full.getStatus().getCompletionTime());
      status.setObservedReplay(full.getStatus().getObservedReplay());
    }
    trimmed.setStatus(status);
    return trimmed;
  }

  /**
   * Label keys and values (phase, endpoint, event) repeat across thousands of deliveries: one
   * shared copy each, in a compact immutable map.
   */
  private static Map<String, String> labels(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return null;
    }
    Map<String, String> shared = new HashMap<>();
    labels.forEach((k, v) -> shared.put(intern(k), intern(v)));
    return Map.copyOf(shared);
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }
}
