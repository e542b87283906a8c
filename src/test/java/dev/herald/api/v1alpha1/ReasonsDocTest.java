package dev.herald.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md's table of reasons is what users alert on: for each kind whose reasons are an enum,
 * it lists exactly the enum's constants, each with the Event type the code writes.
 */
class ReasonsDocTest {
  /** The kinds whose reasons are checked; a new enum of reasons is one more line. */
  private static final List<Map.Entry<String, Class<? extends Enum<?>>>> KINDS =
      List.of(
          Map.entry("WebhookEndpoint", EndpointReason.class),
          Map.entry("WebhookDelivery", DeliveryReason.class),
          Map.entry("WebhookEvent", EventReason.class),
          Map.entry("WebhookDigest", DigestReason.class));

  private static final Path API_DOC = Path.of("docs", "api.md");

  /** A row of the table: | kind | `Reason` | Normal/Warning | written to | meaning | */
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| (Webhook\\w+) \\| `(\\w+)` \\| (Normal|Warning) \\|", Pattern.MULTILINE);

  @Test
  void theDocumentedReasonsAreTheEnumsConstants() throws IOException {
    Map<String, Map<String, String>> documented = documented();
    assertThat(documented).as("docs/api.md has a table of reasons").isNotEmpty();
    for (var kind : KINDS) {
      Map<String, String> inCode = new LinkedHashMap<>();
      for (Enum<?> constant : kind.getValue().getEnumConstants()) {
        inCode.put(constant.name(), ((ConditionReason) constant).warning() ? "Warning" : "Normal");
      }
      assertThat(documented.getOrDefault(kind.getKey(), Map.of()))
          .as(
              "docs/api.md, section Reasons: the reasons of %s and their Event types, as in %s",
              kind.getKey(), kind.getValue().getSimpleName())
          .containsExactlyInAnyOrderEntriesOf(inCode);
    }
  }

  @Test
  void eachReasonIsWrittenAsItsConstantsName() {
    for (var kind : KINDS) {
      for (Enum<?> constant : kind.getValue().getEnumConstants()) {
        assertThat(((ConditionReason) constant).name()).isEqualTo(constant.name());
        assertThat(constant.name()).matches("[A-Z][A-Za-z]+");
      }
    }
    assertThat(
            Arrays.stream(EndpointReason.values())
                .filter(EndpointReason::secret)
                .map(DeliveryReason::ofSecret)
                .map(Enum::name))
        .as(
            "a delivery that cannot be signed, given its credentials or its TLS material reads"
                + " the endpoint's reason")
        .containsExactly(
            "SecretNotFound",
            "SecretKeyMissing",
            "SecretInvalid",
            "SecretUnreadable",
            "SecretConflict",
            "SecretNotReady",
            "AuthSecretNotFound",
            "AuthSecretKeyMissing",
            "AuthSecretInvalid",
            "TlsReferenceNotFound",
            "TlsReferenceInvalid",
            "TlsCertificateExpired");
  }

  /** Kind to reason to Event type, from the table in docs/api.md. */
  private static Map<String, Map<String, String>> documented() throws IOException {
    Matcher m = ROW.matcher(Files.readString(API_DOC));
    Map<String, Map<String, String>> byKind = new LinkedHashMap<>();
    while (m.find()) {
      String previous =
          byKind
              .computeIfAbsent(m.group(1), k -> new LinkedHashMap<>())
              .put(m.group(2), m.group(3));
      assertThat(previous).as("%s %s is listed once", m.group(1), m.group(2)).isNull();
    }
    return byKind.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
