package dev.herald.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * crds/ is what users and the Helm chart apply: it must be exactly what the Java types generate.
 * Refresh it with {@code mvn test -Dtest=CrdDriftTest -Dherald.updateCrds=true}.
 */
class CrdDriftTest {

  @Test
  void checkedInCrdsMatchTheJavaTypes(@TempDir Path generated) throws IOException {
    CrdYaml.generate(generated);
    if (Boolean.getBoolean("herald.updateCrds")) {
      CrdYaml.generate(CrdYaml.CHECKED_IN);
    }
    List<String> names = fileNames(generated);
    assertThat(names)
        .containsExactly(
            "webhookdeliveries.herald.dev-v1.yml",
            "webhookdigests.herald.dev-v1.yml",
            "webhookendpoints.herald.dev-v1.yml",
            "webhookevents.herald.dev-v1.yml");
    assertThat(fileNames(CrdYaml.CHECKED_IN))
        .as("crds/ holds exactly the generated files")
        .containsExactlyElementsOf(names);
    for (String name : names) {
      assertThat(Files.readString(CrdYaml.CHECKED_IN.resolve(name)))
          .as("crds/%s is stale: run mvn test -Dtest=CrdDriftTest -Dherald.updateCrds=true", name)
          .isEqualTo(Files.readString(generated.resolve(name)));
    }
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
