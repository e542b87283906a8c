package dev.herald.signing;

import dev.herald.api.v1alpha1.SigningAlgorithm;
import java.security.SecureRandom;
import java.util.Base64;

/** Makes the secrets the operator stores in generated Secrets. */
public final class SecretGenerator {
  /** 32 bytes matches the HMAC-SHA256 block strength and what Standard Webhooks tooling emits. */
  static final int KEY_BYTES = 32;

  // SecureRandom is thread-safe; one instance avoids re-seeding cost on every endpoint.
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretGenerator() {}

  /** {@code whsec_} + base64 of 32 fresh random bytes. */
  public static String generate() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return SigningKey.PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /**
   * A fresh key of the algorithm: a {@code whsec_} secret, or a {@code whsk_} ed25519 secret key
   * (base64 of its 32-byte seed and 32-byte public key; {@link SigningKey#publicKey} gives the
   * {@code whpk_} half).
   */
  public static String generate(SigningAlgorithm algorithm) {
    return algorithm == SigningAlgorithm.ED25519 ? SigningKey.newEd25519SecretKey() : generate();
  }
}
