package dev.herald.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Reads the annotations users act through (replay, rotation, resume). */
public final class Annotations {
  private Annotations() {}

  /**
   * The annotation's value, or null when it or every annotation is absent. A blank value counts as
   * absent: {@code kubectl annotate x herald.dev/rotate-secret=} asks for nothing.
   */
  public static String get(HasMetadata resource, String key) {
    var annotations = resource.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(key);
    return value == null || value.isBlank() ? null : value;
  }
}
