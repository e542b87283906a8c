package dev.herald.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;

class AnnotationsTest {
  @Test
  void aBlankValueCountsAsAbsent() {
    var blank =
        new ConfigMapBuilder()
            .withNewMetadata()
            .addToAnnotations("herald.dev/rotate-secret", "")
            .endMetadata()
            .build();
    var spaces =
        new ConfigMapBuilder()
            .withNewMetadata()
            .addToAnnotations("herald.dev/rotate-secret", "  ")
            .endMetadata()
            .build();
    var none = new ConfigMapBuilder().withNewMetadata().endMetadata().build();
    var set =
        new ConfigMapBuilder()
            .withNewMetadata()
            .addToAnnotations("herald.dev/rotate-secret", "2")
            .endMetadata()
            .build();
    assertThat(Annotations.get(blank, "herald.dev/rotate-secret")).isNull();
    assertThat(Annotations.get(spaces, "herald.dev/rotate-secret")).isNull();
    assertThat(Annotations.get(none, "herald.dev/rotate-secret")).isNull();
    assertThat(Annotations.get(set, "herald.dev/rotate-secret")).isEqualTo("2");
  }
}
