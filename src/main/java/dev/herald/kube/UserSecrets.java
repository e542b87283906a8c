package dev.herald.kube;

import dev.herald.api.Herald;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;

/**
 * The one rule for reading a Secret on a user's behalf: Herald reads any Secret of the namespaces
 * it serves, and the user who names one may not be allowed to. So a Secret is used only when
 * whoever can write it labelled it {@code herald.dev/usable: "true"}; one that is not labelled is
 * answered exactly like one that does not exist, so that status, Events and logs say nothing about
 * a Secret the user could not read (whether it exists, its keys, its values). What a Secret holds
 * is decoded and kept out of messages by {@link SecretValues}.
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
    return SecretValues.decode(get(client, namespace, name));
  }

  /**
   * The Secret itself (for its type), under the same rule as {@link #read}; decode it only with
   * {@link SecretValues}.
   */
  public static Secret get(KubernetesClient client, String namespace, String name)
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
    return secret;
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
}
