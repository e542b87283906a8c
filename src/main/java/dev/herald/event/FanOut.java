package dev.herald.event;

import dev.herald.api.Herald;
import dev.herald.kube.Hashes;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names and labels of fanned-out deliveries. Names are a function of the event id and the
 * endpoint, so publishing twice is a no-op.
 */
final class FanOut {
  private static final int MAX_NAME = 253;

  private FanOut() {}

  /**
   * The event's own labels and Herald's: a delivery belongs to the same shard ({@code
   * --label-selector}), team or tenant as its event. The event's {@code herald.dev/} labels are
   * not copied: on a delivery they mean something else.
   */
  static Map<String, String> labels(Map<String, String> eventLabels, Map<String, String> heralds) {
    Map<String, String> labels = new TreeMap<>();
    if (eventLabels != null) {
      eventLabels.forEach((key, value) -> {
        if (!key.startsWith(Herald.GROUP + "/")) {
          labels.put(key, value);
        }
      });
    }
    labels.putAll(heralds);
    return labels;
  }

  static String deliveryName(String namespace, String eventId, String endpointName) {
    String hash = HexFormat.of().formatHex(Hashes.sha256(namespace + "/" + eventId), 0, 5);
    String prefix = endpointName.length() > MAX_NAME - 11 ? endpointName.substring(0, MAX_NAME - 11) : endpointName;
    return prefix + "-" + hash;
  }
}
