package dev.herald.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Reads the annotations users act through (replay, rotation, resume). */
public final class Annotations {
  private Annotations() {}

  /** The annotation's value, or null when it or every annotation is absent. */
  public static String get(HasMetadata resource, String key) {
    var annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }
}
