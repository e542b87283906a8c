package dev.herald.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One decoding of every Secret Herald reads, and no value of one in a message. */
class SecretValuesTest {

  @Test
  void dataIsBase64DecodedOverStringDataAndAValueThatIsNotBase64IsLeftOut() {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("s")
            .endMetadata()
            .withData(
                Map.of(
                    "host",
                    b64("smtp.example.com"),
                    "broken",
                    "%%% not base64",
                    "port",
                    b64("587")))
            .withStringData(Map.of("port", "25", "from", "a@example.com"))
            .build();
    assertThat(SecretValues.decode(secret))
        .containsEntry("host", "smtp.example.com")
        .containsEntry("port", "587")
        .containsEntry("from", "a@example.com")
        .doesNotContainKey("broken");
  }

  @Test
  void redactionRemovesEveryValueLongestFirstAndShortOnesOnlyAsWholeTokens() {
    List<String> values =
        java.util.Arrays.asList("smtp.internal", "smtp", "25", "s3cret-pass", null, " ");
    assertThat(
            SecretValues.redact(
                "Connection refused: smtp.internal/10.0.0.1:25 (250 OK from smtp)", values))
        .isEqualTo("Connection refused: ***/10.0.0.1:*** (250 OK from ***)");
    assertThat(SecretValues.redact("535 auth failed for s3cret-pass", values))
        .isEqualTo("535 auth failed for ***");
    assertThat(SecretValues.redact(null, values)).isNull();
    assertThat(SecretValues.redact("a+b (x)", List.of("+", "(x)")))
        .as("values are literal text, not patterns")
        .isEqualTo("a+b ***");
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
