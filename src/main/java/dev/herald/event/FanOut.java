package dev.herald.event;

import dev.herald.kube.Hashes;
import java.util.HexFormat;

/** Names of fanned-out deliveries: a function of the event id and the endpoint, so publishing twice is a no-op. */
final class FanOut {
  private static final int MAX_NAME = 253;

  private FanOut() {}

  static String deliveryName(String namespace, String eventId, String endpointName) {
    String hash = HexFormat.of().formatHex(Hashes.sha256(namespace + "/" + eventId), 0, 5);
    String prefix = endpointName.length() > MAX_NAME - 11 ? endpointName.substring(0, MAX_NAME - 11) : endpointName;
    return prefix + "-" + hash;
  }
}
