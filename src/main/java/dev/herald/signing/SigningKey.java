package dev.herald.signing;

import java.util.Arrays;
import java.util.Base64;

/**
 * One Standard Webhooks signing key. The bytes never leave this package: callers sign through
 * {@link WebhookSigner}, so a key cannot end up in a log line, an exception or a status field.
 */
public final class SigningKey {
  static final String PREFIX = "whsec_";

  /**
   * Shorter keys make HMAC-SHA256 guessable offline from captured requests; 16 bytes is the
   * smallest that still gives 128-bit strength. Generated keys are 32 bytes.
   */
  static final int MIN_KEY_BYTES = 16;

  private final byte[] key;

  private SigningKey(byte[] key) {
    this.key = key;
  }

  /**
   * Parses {@code whsec_<base64>}, or bare base64 because users paste secrets either way.
   *
   * @throws IllegalArgumentException if it is not one; the message never repeats the input, since
   *     the input is the secret itself and such messages end up in status and logs
   */
  public static SigningKey parse(String secret) {
    if (secret == null) {
      throw invalid("it is missing");
    }
    String encoded = secret.strip();
    if (encoded.startsWith(PREFIX)) {
      encoded = encoded.substring(PREFIX.length());
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      // The decoder's message names the offending character: a piece of the secret. Drop it.
      throw invalid("it is not base64");
    }
    if (decoded.length < MIN_KEY_BYTES) {
      Arrays.fill(decoded, (byte) 0);
      throw invalid("the key must be at least " + MIN_KEY_BYTES + " bytes");
    }
    return new SigningKey(decoded);
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("signing secret is not a valid whsec_ secret: " + why);
  }

  /** Package-private so only the signer ever sees the key bytes; a copy guards against mutation. */
  byte[] bytes() {
    return key.clone();
  }

  /** Redacted on purpose: keys get logged by accident through records and collections. */
  @Override
  public String toString() {
    return "SigningKey[" + key.length + " bytes, redacted]";
  }
}
