package dev.herald.kube;

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
    String hash = HexFormat.of().formatHex(Hashes.sha256(value), 0, 5);
    String prefix = value.substring(0, MAX - hash.length() - 1).replaceAll("[^A-Za-z0-9]+$", "");
    return prefix + "-" + hash;
  }
}
