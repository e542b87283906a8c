package dev.herald.kube;

import dev.herald.api.Herald;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one rule for reading a Secret on a user's behalf: Herald reads any Secret of the namespaces
 * it serves, and the user who names one may not be allowed to. So a Secret is used only when
 * whoever can write it labelled it {@code herald.dev/usable: "true"}; one that is not labelled is
 * answered exactly like one that does not exist, so that status, Events and logs say nothing about
 * a Secret the user could not read (whether it exists, its keys, its values).
 */
public final class UserSecrets {
  private UserSecrets() {}

  /** Why a Secret could not be used; the message names the Secret and nothing in it. */
  public static final class UnusableSecretException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean unreadable;

    UnusableSecretException(boolean unreadable, String message) {
      super(message);
      this.unreadable = unreadable;
    }

    /** True when the API server refused or failed the read (not an answer about the Secret). */
    public boolean unreadable() {
      return unreadable;
    }
  }

  /**
   * The decoded values of a Secret the user marked for Herald.
   *
   * @throws UnusableSecretException when it is missing or not marked (one message for both), or the
   *     read failed
   */
  public static Map<String, String> read(KubernetesClient client, String namespace, String name)
      throws UnusableSecretException {
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new UnusableSecretException(
          true, "cannot read Secret " + name + ": HTTP " + e.getCode());
    }
    if (secret == null || !isMarked(secret)) {
      throw new UnusableSecretException(false, notUsableMessage(name));
    }
    return decode(secret);
  }

  /** The answer for a Secret that is missing or not marked: the same words for both. */
  public static String notUsableMessage(String name) {
    return "Secret "
        + name
        + " not found, or not labelled "
        + Herald.LABEL_USABLE
        + "="
        + Herald.USABLE;
  }

  public static boolean isMarked(Secret secret) {
    var labels = secret.getMetadata() == null ? null : secret.getMetadata().getLabels();
    return labels != null && Herald.USABLE.equals(labels.get(Herald.LABEL_USABLE));
  }

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
            out.replaceAll(
                "(?<![\\p{Alnum}])" + java.util.regex.Pattern.quote(value) + "(?![\\p{Alnum}])",
                "***");
      }
    }
    return out;
  }
}
