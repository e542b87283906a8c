package dev.herald.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * Status and label patches of the object in hand, writes that do not depend on diffing against a
 * cached copy: a diff computed from a stale base can misplace array entries (the attempt log) or
 * fail on a resource version.
 *
 * <p>The patches go through {@code resource(item)}: fabric8 reads a resource named only by {@code
 * withName} from the server before patching it, an extra GET per write. The item given is a copy
 * with the name and namespace only ({@link #named}): fabric8 clones the item before a patch (a
 * serialization and parse of the whole object, payload included) only to take its name and
 * namespace from the clone.
 */
public final class Patches {
  private Patches() {}

  /**
   * Replaces {@code .status} entirely (JSON Patch "add" replaces an existing member); returns the
   * object written.
   */
  public static <R extends HasMetadata> R replaceStatus(
      KubernetesClient client, Class<R> type, R resource, Object status) {
    return patchStatus(
        client, type, resource, List.of(Map.of("op", "add", "path", "/status", "value", status)));
  }

  /**
   * Replaces {@code .status} only if the object is still at {@code resource}'s resourceVersion (a
   * JSON Patch "test"): no read needed first, and any change since is refused (409 or 422).
   */
  public static <R extends HasMetadata> R replaceStatusIfUnchanged(
      KubernetesClient client, Class<R> type, R resource, Object status) {
    return patchStatus(
        client,
        type,
        resource,
        List.of(
            Map.of(
                "op",
                "test",
                "path",
                "/metadata/resourceVersion",
                "value",
                resource.getMetadata().getResourceVersion()),
            Map.of("op", "add", "path", "/status", "value", status)));
  }

  private static <R extends HasMetadata> R patchStatus(
      KubernetesClient client, Class<R> type, R resource, List<Map<String, Object>> operations) {
    return client
        .resources(type)
        .inNamespace(resource.getMetadata().getNamespace())
        .resource(named(type, resource))
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON),
            client.getKubernetesSerialization().asJson(operations));
  }

  /** Sets the given labels, leaving others alone; returns the object written. */
  public static <R extends HasMetadata> R mergeLabels(
      KubernetesClient client, Class<R> type, R resource, Map<String, String> labels) {
    String patch =
        client.getKubernetesSerialization().asJson(Map.of("metadata", Map.of("labels", labels)));
    return client
        .resources(type)
        .inNamespace(resource.getMetadata().getNamespace())
        .resource(named(type, resource))
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /** A new object of {@code type} with only {@code resource}'s name and namespace. */
  static <R extends HasMetadata> R named(Class<R> type, R resource) {
    try {
      R named = type.getDeclaredConstructor().newInstance();
      named.setMetadata(
          new ObjectMetaBuilder()
              .withName(resource.getMetadata().getName())
              .withNamespace(resource.getMetadata().getNamespace())
              .build());
      return named;
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(type + " has no public no-argument constructor", e);
    }
  }

  /** Removes one label (JSON merge patch: a null value deletes the key), leaving others alone. */
  public static <R extends HasMetadata> void removeLabel(
      KubernetesClient client, Class<R> type, HasMetadata resource, String key) {
    // written out by hand: a serializer configured to drop nulls would turn this into a no-op
    String patch =
        "{\"metadata\":{\"labels\":{"
            + client.getKubernetesSerialization().asJson(key)
            + ":null}}}";
    client
        .resources(type)
        .inNamespace(resource.getMetadata().getNamespace())
        .withName(resource.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }
}
