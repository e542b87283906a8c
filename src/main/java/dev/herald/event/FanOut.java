package dev.herald.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names of fanned-out deliveries: a function of the event id and the endpoint, so publishing twice is a no-op. */
final class FanOut {
  private static final int MAX_NAME = 253;

  private FanOut() {}

  static String deliveryName(String namespace, String eventId, String endpointName) {
    String hash = hash(namespace + "/" + eventId).substring(0, 10);
    String prefix = endpointName.length() > MAX_NAME - 11 ? endpointName.substring(0, MAX_NAME - 11) : endpointName;
    return prefix + "-" + hash;
  }

  private static String hash(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
