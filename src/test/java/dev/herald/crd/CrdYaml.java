package dev.herald.crd;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEvent;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Generates the CRD YAML of Herald's kinds. The fabric8 generator sorts printer columns by
 * jsonPath; kubectl shows them in list order, so this restores the order the annotations declare
 * (the order API.md promises).
 */
final class CrdYaml {
  static final Path CHECKED_IN = Path.of("crds");
  static final List<Class<? extends HasMetadata>> KINDS =
      List.of(
          WebhookEndpoint.class,
          WebhookDelivery.class,
          WebhookEvent.class,
          dev.herald.api.v1alpha1.WebhookDigest.class);

  private CrdYaml() {}

  /** Writes one {@code <plural>.<group>-v1.yml} per kind into {@code dir}. */
  static void generate(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Class<? extends HasMetadata>> byCrdName =
        KINDS.stream()
            .collect(Collectors.toMap(HasMetadata::getFullResourceName, Function.identity()));
    CRDPostProcessor declaredColumnOrder =
        new CRDPostProcessor() {
          @Override
          public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            Class<? extends HasMetadata> kind = byCrdName.get(crd.getMetadata().getName());
            List<String> order =
                Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::jsonPath)
                    .collect(Collectors.toList());
            ((CustomResourceDefinition) crd)
                .getSpec()
                .getVersions()
                .forEach(
                    v ->
                        v.getAdditionalPrinterColumns()
                            .sort(
                                Comparator.comparingInt(
                                    (CustomResourceColumnDefinition c) ->
                                        order.indexOf(c.getJsonPath()))));
            return crd;
          }
        };
    new CRDGenerator()
        .customResourceClasses(KINDS)
        .forCRDVersions("v1")
        .withPostProcessor(declaredColumnOrder)
        .inOutputDir(dir.toFile())
        .generate();
  }

  /** {@code mvn test-compile exec:java}-free refresh: run this main from the repo root. */
  public static void main(String[] args) {
    generate(CHECKED_IN);
  }
}
