package dev.herald.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;

/**
 * Reads the API server's copy of an object the operator holds a (possibly stale) copy of. An object
 * deleted and re-created under the same name is another object: it counts as gone, so nothing
 * decided for the old one is written onto the new one.
 */
public final class Fresh {
  private Fresh() {}

  /** The object as the API server has it now; null when it is gone or was re-created. */
  @SuppressWarnings("unchecked")
  public static <R extends HasMetadata> R read(KubernetesClient client, R held) {
    Class<R> type = (Class<R>) held.getClass();
    R fresh =
        client
            .resources(type)
            .inNamespace(held.getMetadata().getNamespace())
            .withName(held.getMetadata().getName())
            .get();
    return fresh == null
            || !Objects.equals(fresh.getMetadata().getUid(), held.getMetadata().getUid())
        ? null
        : fresh;
  }
}
