package dev.herald.kube;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Label values are limited to 63 characters; object names may be longer. */
public final class LabelValues {
  private static final int MAX = 63;

  private LabelValues() {}

  /** The value itself when it fits, else a stable prefix + hash so selectors still work. */
  public static String orHash(String value) {
    if (value.length() <= MAX) {
      return value;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      String hash = HexFormat.of().formatHex(digest, 0, 5);
      String prefix = value.substring(0, MAX - hash.length() - 1).replaceAll("[^A-Za-z0-9]+$", "");
      return prefix + "-" + hash;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
