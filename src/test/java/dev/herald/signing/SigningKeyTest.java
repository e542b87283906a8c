package dev.herald.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SigningKeyTest {

  @Test
  void generatedSecretsParseAreThirtyTwoBytesAndDifferEachCall() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String secret = SecretGenerator.generate();
      assertThat(secret).startsWith("whsec_");
      assertThat(SigningKey.parse(secret).bytes()).hasSize(32);
      seen.add(secret);
    }
    assertThat(seen).hasSize(20);
  }

  @Test
  void toStringNeverRevealsTheKey() {
    String secret = SecretGenerator.generate();
    String base64 = secret.substring("whsec_".length());
    SigningKey key = SigningKey.parse(secret);

    assertThat(key.toString()).doesNotContain(base64).doesNotContain(base64.substring(0, 8));
    // Records and collections print their elements: the redaction must hold there too.
    assertThat(List.of(key).toString()).doesNotContain(base64.substring(0, 8));
  }

  @Test
  void invalidSecretsAreRejectedWithoutEchoingThem() {
    String notBase64 = "whsec_this-is-not*base64!secret-value";
    String tooShort = "whsec_c2hvcnRrZXk="; // "shortkey", 8 bytes

    for (String secret : List.of(notBase64, tooShort, "")) {
      Throwable thrown = catchThrowable(() -> SigningKey.parse(secret));
      assertThat(thrown)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a valid whsec_ secret")
          .hasNoCause();
      if (!secret.isEmpty()) {
        assertThat(thrown.getMessage())
            .doesNotContain(secret)
            .doesNotContain(secret.substring("whsec_".length(), "whsec_".length() + 6));
      }
    }
    assertThatThrownBy(() -> SigningKey.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
