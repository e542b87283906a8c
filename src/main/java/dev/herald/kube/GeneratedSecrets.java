package dev.herald.kube;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.SigningAlgorithm;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one shape of a Secret Herald generates to sign with (for an endpoint or a digest): a fresh
 * {@code whsec_} key (or {@code whsk_} ed25519 secret key) under {@link Herald#SECRET_KEY},
 * Herald's managed-by label beside the owner's labels (which say whom it was made for), and a
 * controller owner reference, so it goes with its owner even when no status names it; and the one
 * way such a Secret is created.
 */
public final class GeneratedSecrets {
  private GeneratedSecrets() {}

  /**
   * The Secret found under a name, and whether it was created just now. One that was already there
   * may be anybody's: the caller checks whose it is (by its owner's uid label) before using it, and
   * never changes it.
   */
  public record Found(Secret secret, boolean created) {}

  /**
   * Creates the Secret {@code desired} makes unless one of its name exists; a create that loses a
   * race (409: by a concurrent reconcile, an earlier run whose answer was lost, or someone else)
   * answers with the one that won. {@code desired} is called only to create, so no key is minted
   * for a Secret that exists.
   */
  public static Found createIfAbsent(
      KubernetesClient client, String namespace, String name, Supplier<Secret> desired) {
    Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
    if (existing != null) {
      return new Found(existing, false);
    }
    try {
      return new Found(
          client.secrets().inNamespace(namespace).resource(desired.get()).create(), true);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        Secret raced = client.secrets().inNamespace(namespace).withName(name).get();
        if (raced != null) {
          return new Found(raced, false);
        }
      }
      throw e; // gone again, or another failure: the reconcile is retried
    }
  }

  public static Secret signingSecret(HasMetadata owner, String name, Map<String, String> labels) {
    return signingSecret(owner, name, labels, SigningAlgorithm.HMAC_SHA256);
  }

  /**
   * The same Secret with a fresh key of the algorithm; an ed25519 one also holds its public {@code
   * whpk_} key under {@link Herald#PUBLIC_KEY}, for whoever hands it to receivers.
   */
  public static Secret signingSecret(
      HasMetadata owner, String name, Map<String, String> labels, SigningAlgorithm algorithm) {
    String key = SecretGenerator.generate(algorithm);
    Map<String, String> data = new LinkedHashMap<>();
    data.put(Herald.SECRET_KEY, base64(key));
    String publicKey = SigningKey.parse(key).publicKey();
    if (publicKey != null) {
      data.put(Herald.PUBLIC_KEY, base64(publicKey));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .addToLabels(labels)
        .addToLabels(Herald.LABEL_MANAGED_BY, Herald.MANAGED_BY)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(false)
                .build())
        .endMetadata()
        .withType("Opaque")
        .addToData(data)
        .build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
