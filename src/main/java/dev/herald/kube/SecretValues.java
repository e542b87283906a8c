package dev.herald.kube;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The values a Secret holds: decoded in one way for every Secret Herald reads (a user's or its
 * own), and kept out of every message Herald writes.
 */
public final class SecretValues {
  private SecretValues() {}

  /**
   * The values by key: {@code data} base64-decoded as UTF-8 (a value that is not base64 is left
   * out), over {@code stringData} (which the API server folds into {@code data}; a client's own
   * object may still carry it).
   */
  public static Map<String, String> decode(Secret secret) {
    Map<String, String> values = new HashMap<>();
    if (secret.getStringData() != null) {
      secret
          .getStringData()
          .forEach(
              (k, v) -> {
                if (v != null) {
                  values.put(k, v);
                }
              });
    }
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) -> {
                if (v == null) {
                  return;
                }
                try {
                  values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                  // not base64: the key is left out and its value never echoed
                }
              });
    }
    return values;
  }

  /**
   * {@code text} (a library's error message, say) with every occurrence of the given values
   * replaced by {@code ***}, so a message built around what was read from a Secret can be written
   * to status, Events and logs. Longer values first, so one containing another goes as a whole.
   * Values of one or two characters are replaced only as whole tokens (a port "25" must not turn a
   * "250" reply into "***0").
   */
  public static String redact(String text, Collection<String> values) {
    if (text == null) {
      return null;
    }
    String out = text;
    var sorted =
        values.stream()
            .filter(Objects::nonNull)
            .map(String::trim)
            .filter(v -> !v.isEmpty())
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    for (String value : sorted) {
      if (value.length() > 2) {
        out = out.replace(value, "***");
      } else {
        out =
            out.replaceAll("(?<![\\p{Alnum}])" + Pattern.quote(value) + "(?![\\p{Alnum}])", "***");
      }
    }
    return out;
  }
}
