package dev.herald.signing;

import dev.herald.api.v1alpha1.SigningAlgorithm;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * One Standard Webhooks signing key: a {@code whsec_} HMAC secret, or a {@code whsk_} ed25519
 * secret key. The secret bytes never leave this package: callers sign through {@link
 * WebhookSigner}, so a key cannot end up in a log line, an exception or a status field. Only the
 * public {@code whpk_} key of an ed25519 key is handed out.
 */
public final class SigningKey {
  static final String PREFIX = "whsec_";
  static final String SECRET_KEY_PREFIX = "whsk_";
  static final String PUBLIC_KEY_PREFIX = "whpk_";

  /**
   * Shorter keys make HMAC-SHA256 guessable offline from captured requests; 16 bytes is the
   * smallest that still gives 128-bit strength. Generated keys are 32 bytes.
   */
  static final int MIN_KEY_BYTES = 16;

  private final byte[] key;
  private final PrivateKey privateKey;
  private final String publicKey;

  private SigningKey(byte[] key, PrivateKey privateKey, String publicKey) {
    this.key = key;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /**
   * Parses {@code whsec_<base64>} (or bare base64, because users paste secrets either way) as an
   * HMAC key, and {@code whsk_<base64>} as an ed25519 secret key: the 32-byte seed, or the 64 bytes
   * of seed and public key that libsodium and other Standard Webhooks senders write (the public
   * half must then be the seed's).
   *
   * @throws IllegalArgumentException if it is not one; the message never repeats the input, since
   *     the input is the secret itself and such messages end up in status and logs
   */
  public static SigningKey parse(String secret) {
    if (secret == null) {
      throw invalid("it is missing");
    }
    String encoded = secret.strip();
    if (encoded.startsWith(SECRET_KEY_PREFIX)) {
      return parseEd25519(encoded.substring(SECRET_KEY_PREFIX.length()));
    }
    if (encoded.startsWith(PREFIX)) {
      encoded = encoded.substring(PREFIX.length());
    }
    byte[] decoded = decode(encoded, "whsec_");
    if (decoded.length < MIN_KEY_BYTES) {
      Arrays.fill(decoded, (byte) 0);
      throw invalid("the key must be at least " + MIN_KEY_BYTES + " bytes");
    }
    return new SigningKey(decoded, null, null);
  }

  private static SigningKey parseEd25519(String encoded) {
    byte[] decoded = decode(encoded, "whsk_");
    try {
      if (decoded.length != Ed25519.SEED_BYTES
          && decoded.length != Ed25519.SEED_BYTES + Ed25519.PUBLIC_BYTES) {
        throw invalidEd25519(
            "an ed25519 secret key is 32 bytes (the seed) or 64 bytes (seed and public key)");
      }
      Ed25519.Pair pair = Ed25519.fromSeed(Arrays.copyOf(decoded, Ed25519.SEED_BYTES));
      if (decoded.length > Ed25519.SEED_BYTES
          && !Arrays.equals(
              decoded,
              Ed25519.SEED_BYTES,
              decoded.length,
              pair.rawPublicKey(),
              0,
              Ed25519.PUBLIC_BYTES)) {
        throw invalidEd25519("its last 32 bytes are not the public key of its first 32");
      }
      return new SigningKey(null, pair.privateKey(), publicKeyString(pair.rawPublicKey()));
    } finally {
      Arrays.fill(decoded, (byte) 0);
    }
  }

  private static byte[] decode(String encoded, String format) {
    try {
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      // The decoder's message names the offending character: a piece of the secret. Drop it.
      throw "whsk_".equals(format)
          ? invalidEd25519("it is not base64")
          : invalid("it is not base64");
    }
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("signing secret is not a valid whsec_ secret: " + why);
  }

  private static IllegalArgumentException invalidEd25519(String why) {
    return new IllegalArgumentException(
        "signing secret is not a valid whsk_ ed25519 secret key: " + why);
  }

  /** A fresh ed25519 key pair: the {@code whsk_} secret key (seed and public key) to store. */
  static String newEd25519SecretKey() {
    byte[] seed = Ed25519.newSeed();
    Ed25519.Pair pair = Ed25519.fromSeed(seed);
    byte[] full = Arrays.copyOf(seed, Ed25519.SEED_BYTES + Ed25519.PUBLIC_BYTES);
    System.arraycopy(pair.rawPublicKey(), 0, full, Ed25519.SEED_BYTES, Ed25519.PUBLIC_BYTES);
    Arrays.fill(seed, (byte) 0);
    String encoded = SECRET_KEY_PREFIX + Base64.getEncoder().encodeToString(full);
    Arrays.fill(full, (byte) 0);
    return encoded;
  }

  private static String publicKeyString(byte[] raw) {
    return PUBLIC_KEY_PREFIX + Base64.getEncoder().encodeToString(raw);
  }

  public SigningAlgorithm algorithm() {
    return privateKey == null ? SigningAlgorithm.HMAC_SHA256 : SigningAlgorithm.ED25519;
  }

  /**
   * {@code whpk_} + base64 of the 32-byte public key for an ed25519 key, null for an HMAC key. Not
   * a secret: it is what receivers verify with, published in the endpoint's status.
   */
  public String publicKey() {
    return publicKey;
  }

  /** Package-private so only the signer ever sees the key bytes; a copy guards against mutation. */
  byte[] bytes() {
    return key == null ? null : key.clone();
  }

  /** Package-private for the same reason: only the signer signs with it. */
  PrivateKey privateKey() {
    return privateKey;
  }

  /** Redacted on purpose: keys get logged by accident through records and collections. */
  @Override
  public String toString() {
    return privateKey == null
        ? "SigningKey[" + key.length + " bytes, redacted]"
        : "SigningKey[ed25519 " + publicKey + ", secret key redacted]";
  }
}
