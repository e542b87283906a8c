package dev.herald.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * Whole-object writes that do not depend on diffing against a cached copy: a diff computed from a
 * stale base can misplace array entries (the attempt log) or fail on a resource version.
 */
public final class StatusPatch {
  private StatusPatch() {}

  /** Replaces {@code .status} entirely (JSON Patch "add" replaces an existing member). */
  public static <R extends HasMetadata> void replaceStatus(
      KubernetesClient client, Class<R> type, HasMetadata resource, Object status) {
    String patch =
        client.getKubernetesSerialization().asJson(List.of(Map.of("op", "add", "path", "/status", "value", status)));
    client.resources(type)
        .inNamespace(resource.getMetadata().getNamespace())
        .withName(resource.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), patch);
  }

  /** Sets the given labels, leaving others alone. */
  public static <R extends HasMetadata> void mergeLabels(
      KubernetesClient client, Class<R> type, HasMetadata resource, Map<String, String> labels) {
    String patch = client.getKubernetesSerialization().asJson(Map.of("metadata", Map.of("labels", labels)));
    client.resources(type)
        .inNamespace(resource.getMetadata().getNamespace())
        .withName(resource.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /** Removes one label (JSON merge patch: a null value deletes the key), leaving others alone. */
  public static <R extends HasMetadata> void removeLabel(
      KubernetesClient client, Class<R> type, HasMetadata resource, String key) {
    // written out by hand: a serializer configured to drop nulls would turn this into a no-op
    String patch = "{\"metadata\":{\"labels\":{" + client.getKubernetesSerialization().asJson(key) + ":null}}}";
    client.resources(type)
        .inNamespace(resource.getMetadata().getNamespace())
        .withName(resource.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }
}
