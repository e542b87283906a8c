package dev.herald.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.herald.api.v1alpha1.SigningAlgorithm;
import java.util.Arrays;
import java.util.Base64;
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

  // --- ed25519 (whsk_) ---
  /** RFC 8032 test 1 as Standard Webhooks strings: the seed alone, seed and public key, public. */
  static final String RFC_SEED_KEY = "whsk_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";

  static final String RFC_FULL_KEY =
      "whsk_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2DXWpgBgrEKt9VL/tPJZAc6DuFy89qmIyWvAhpo9wdRGg==";
  static final String RFC_PUBLIC_KEY = "whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  @Test
  void whskKeysParseAsEd25519FromTheSeedOrSeedAndPublicKey() {
    for (String secret : List.of(RFC_SEED_KEY, RFC_FULL_KEY, " " + RFC_FULL_KEY + "\n")) {
      SigningKey key = SigningKey.parse(secret);
      assertThat(key.algorithm()).isEqualTo(SigningAlgorithm.ED25519);
      assertThat(key.publicKey()).isEqualTo(RFC_PUBLIC_KEY);
      assertThat(key.bytes()).isNull();
    }
    assertThat(SigningKey.parse(SecretGenerator.generate()).algorithm())
        .isEqualTo(SigningAlgorithm.HMAC_SHA256);
    assertThat(SigningKey.parse(SecretGenerator.generate()).publicKey()).isNull();
  }

  @Test
  void generatedEd25519KeysAreSeedAndPublicKeyAndDifferEachCall() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      String secret = SecretGenerator.generate(SigningAlgorithm.ED25519);
      assertThat(secret).startsWith("whsk_");
      byte[] raw = Base64.getDecoder().decode(secret.substring("whsk_".length()));
      assertThat(raw).hasSize(64);
      SigningKey key = SigningKey.parse(secret);
      assertThat(key.publicKey())
          .isEqualTo("whpk_" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(raw, 32, 64)));
      seen.add(secret);
    }
    assertThat(seen).hasSize(10);
  }

  @Test
  void invalidEd25519KeysAreRejectedWithoutEchoingThem() {
    byte[] mismatched = Base64.getDecoder().decode(RFC_FULL_KEY.substring(5));
    mismatched[40] ^= 1; // the public half no longer belongs to the seed
    String wrongPublicHalf = "whsk_" + Base64.getEncoder().encodeToString(mismatched);
    String wrongLength = "whsk_" + Base64.getEncoder().encodeToString(new byte[48]);
    String notBase64 = "whsk_not*base64!secret-key-value";

    for (String secret : List.of(wrongPublicHalf, wrongLength, notBase64)) {
      Throwable thrown = catchThrowable(() -> SigningKey.parse(secret));
      assertThat(thrown)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a valid whsk_ ed25519 secret key")
          .hasNoCause();
      assertThat(thrown.getMessage()).doesNotContain(secret.substring(5, 15));
    }
  }

  @Test
  void ed25519ToStringShowsOnlyThePublicKey() {
    SigningKey key = SigningKey.parse(RFC_FULL_KEY);

    assertThat(List.of(key).toString())
        .contains(RFC_PUBLIC_KEY)
        .doesNotContain(RFC_SEED_KEY.substring(5, 20));
  }
}
