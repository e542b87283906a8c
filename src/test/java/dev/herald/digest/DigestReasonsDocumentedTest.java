package dev.herald.digest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DigestReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md lists exactly the reasons a WebhookDigest's {@code Ready} condition can carry: a
 * reason added, renamed or dropped in {@link DigestReason} without the contract saying so fails
 * here.
 */
class DigestReasonsDocumentedTest {
  @Test
  void theDigestSectionOfTheApiDocsListsExactlyTheDigestReasons() throws Exception {
    String docs = Files.readString(Path.of("docs/api.md"));
    int section = docs.indexOf("## WebhookDigest");
    int start = docs.indexOf("`conditions` (`Ready`:", section);
    int end = docs.indexOf("`observedGeneration`", start);
    assertThat(section).isNotNegative();
    assertThat(start).isGreaterThan(section);
    assertThat(end).isGreaterThan(start);

    Set<String> documented = new LinkedHashSet<>();
    Matcher reason =
        Pattern.compile("`([A-Z][A-Za-z]+)`")
            .matcher(docs.substring(start + "`conditions` (`Ready`:".length(), end));
    while (reason.find()) {
      documented.add(reason.group(1));
    }
    assertThat(documented)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(DigestReason.values())
                .map(DigestReason::name)
                .collect(Collectors.toList()));
  }
}
