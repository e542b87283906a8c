package dev.herald.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Computes the Standard Webhooks {@code webhook-signature} header value. */
public final class WebhookSigner {
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] DOT = {'.'};

  private WebhookSigner() {}

  /**
   * {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>} for an HMAC key, {@code
   * v1a,<base64 ed25519 signature of the same content>} for an ed25519 key; with several keys, one
   * space-separated entry per key, so receivers holding either the old or the new key keep
   * verifying during a rotation overlap (also one from one algorithm into the other).
   *
   * @param body the exact bytes that go on the wire; re-encoding them would break verification
   */
  public static String sign(
      String webhookId, long timestampSeconds, byte[] body, List<SigningKey> keys) {
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      // An empty header would be sent as "signed" and rejected by every receiver: fail loudly.
      throw new IllegalArgumentException("at least one signing key is needed");
    }
    byte[] id = webhookId.getBytes(StandardCharsets.UTF_8);
    byte[] timestamp = Long.toString(timestampSeconds).getBytes(StandardCharsets.US_ASCII);
    StringBuilder header = new StringBuilder();
    for (SigningKey key : keys) {
      Objects.requireNonNull(key, "keys must not contain null");
      if (header.length() > 0) {
        header.append(' ');
      }
      if (key.privateKey() != null) {
        byte[] signature = Ed25519.sign(key.privateKey(), id, DOT, timestamp, DOT, body);
        header.append("v1a,").append(Base64.getEncoder().encodeToString(signature));
        continue;
      }
      // Fed piecewise so a large body is not copied into a concatenated string first.
      Mac mac = newMac(key);
      mac.update(id);
      mac.update(DOT);
      mac.update(timestamp);
      mac.update(DOT);
      mac.update(body);
      header.append("v1,").append(Base64.getEncoder().encodeToString(mac.doFinal()));
    }
    return header.toString();
  }

  private static Mac newMac(SigningKey key) {
    // A Mac is stateful and not thread-safe; a fresh one per key is cheap next to the HTTP call.
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key.bytes(), ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is mandatory on every Java platform, so this is a broken JVM, not bad input.
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    }
  }
}
