package dev.herald.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The objects {@code helm template} renders from {@code helm/herald}, parsed into fabric8's model
 * types.
 */
public final class RenderedChart {
  /** The chart, relative to the project directory (Surefire's working directory). */
  static final Path CHART = Path.of("helm", "herald");

  static final String RELEASE = "herald";
  static final String RELEASE_NAMESPACE = "herald-system";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  public final String yaml;
  public final List<HasMetadata> objects;

  private RenderedChart(String yaml, List<HasMetadata> objects) {
    this.yaml = yaml;
    this.objects = objects;
  }

  /** A top-level value of the chart's values.yaml, as a user who sets nothing gets it. */
  public static Object defaultValue(String key) {
    try {
      Map<?, ?> values =
          SERIALIZATION.unmarshal(Files.readString(CHART.resolve("values.yaml")), Map.class);
      return Objects.requireNonNull(values.get(key), key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Renders with these values over values.yaml (passed as a values file, so lists and numbers keep
   * their types).
   */
  public static RenderedChart render(Map<String, Object> values) {
    TemplateCommand template =
        new Helm(CHART).template().withName(RELEASE).withNamespace(RELEASE_NAMESPACE);
    Path file = null;
    try {
      if (!values.isEmpty()) {
        file = Files.createTempFile("herald-values-", ".yaml");
        Files.writeString(file, SERIALIZATION.asYaml(values));
        template.withValuesFile(file);
      }
      String yaml = template.call();
      return new RenderedChart(yaml, parse(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  static RenderedChart render() {
    return render(Map.of());
  }

  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    // helm template separates documents with "---" lines and a "# Source:" comment
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
        continue;
      }
      Object parsed = SERIALIZATION.unmarshal(document);
      if (parsed instanceof HasMetadata object) {
        objects.add(object);
      } else if (parsed instanceof List<?> list) {
        list.stream().map(HasMetadata.class::cast).forEach(objects::add);
      } else {
        throw new IllegalStateException("not a Kubernetes object: " + document);
      }
    }
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all(type);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + ", rendered " + found.size() + ":\n" + yaml);
    }
    return found.get(0);
  }

  <T extends HasMetadata> Optional<T> named(Class<T> type, String namespace, String name) {
    return all(type).stream()
        .filter(o -> name.equals(o.getMetadata().getName()))
        .filter(o -> Objects.equals(namespace, o.getMetadata().getNamespace()))
        .findFirst();
  }
}
