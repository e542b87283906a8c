package dev.herald.endpoint;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.EndpointReason;
import dev.herald.api.v1alpha1.RetiredSecret;
import dev.herald.api.v1alpha1.SecretKeyRef;
import dev.herald.api.v1alpha1.SigningAlgorithm;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.kube.SecretValues;
import dev.herald.kube.Times;
import dev.herald.kube.UserSecrets;
import dev.herald.signing.SigningKey;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The keys an endpoint's deliveries are signed with, read on the delivery path (with a short cache)
 * and checked by the endpoint reconciler: from a generated Secret (only one carrying the endpoint's
 * uid, {@link GeneratedSigningSecrets#generatedFor}) or from the user's Secret named by {@code
 * spec.signing.secretRef} (only read, and only when marked for Herald: {@link UserSecrets}).
 * Nothing here creates, changes or deletes a Secret.
 */
public class SigningKeys {
  private final KubernetesClient client;

  public SigningKeys(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The user's Secret and key the endpoint signs with, or null when it signs with a generated key.
   */
  public static SecretKeyRef userRef(WebhookEndpoint endpoint) {
    var signing = endpoint.getSpec().getSigning();
    if (signing != null && signing.getSecretRef() != null) {
      SecretKeyRef ref = signing.getSecretRef();
      return new SecretKeyRef(
          ref.getName(), ref.getKey() == null ? Herald.SECRET_KEY : ref.getKey());
    }
    return null;
  }

  /** The algorithm the endpoint's spec asks for (absent: hmac-sha256). */
  public static SigningAlgorithm algorithm(WebhookEndpoint endpoint) {
    var signing = endpoint.getSpec() == null ? null : endpoint.getSpec().getSigning();
    return SigningAlgorithm.orDefault(signing == null ? null : signing.getAlgorithm());
  }

  /**
   * The keys to sign with at {@code now}: the current one, then those retired by a rotation whose
   * overlap has not ended (a retired Secret already gone is skipped: its overlap is over).
   */
  public List<SigningKey> keysFor(WebhookEndpoint endpoint, Instant now)
      throws SigningSecretException {
    SecretKeyRef user = userRef(endpoint);
    if (user != null) {
      // a user's Secret: its key alone (the generated ones ended when the endpoint switched to it)
      return List.of(read(endpoint, user, Source.USER));
    }
    String generated =
        endpoint.getStatus() == null ? null : endpoint.getStatus().getSigningSecretName();
    if (generated == null) {
      throw new SigningSecretException(
          EndpointReason.SecretNotReady,
          "the signing Secret of endpoint "
              + endpoint.getMetadata().getName()
              + " is not created yet");
    }
    List<SigningKey> keys = new ArrayList<>();
    keys.add(read(endpoint, new SecretKeyRef(generated, Herald.SECRET_KEY), Source.GENERATED));
    List<RetiredSecret> retired =
        endpoint.getStatus() == null || endpoint.getStatus().getRetiredSecrets() == null
            ? List.of()
            : endpoint.getStatus().getRetiredSecrets();
    for (RetiredSecret r : retired) {
      Instant expiry = Times.parse(r.getExpiryTime());
      if (expiry != null && expiry.isAfter(now)) {
        SigningKey key =
            read(endpoint, new SecretKeyRef(r.getName(), Herald.SECRET_KEY), Source.RETIRED);
        if (key != null) {
          keys.add(key);
        }
      }
    }
    return keys;
  }

  /** Checks that the user's Secret can be used, as it is now (not from the recent-keys cache). */
  public void checkUserSecret(WebhookEndpoint endpoint, SecretKeyRef ref)
      throws SigningSecretException {
    readFromApi(endpoint, ref, Source.USER);
  }

  /**
   * Where a key comes from, which decides what is checked: a user's Secret must be marked for
   * Herald; a generated one must carry the endpoint's uid; a retired one that is gone (or not ours)
   * is skipped.
   */
  private enum Source {
    USER,
    GENERATED,
    RETIRED
  }

  /**
   * Keys read in the last {@link RecentReads#TTL}: a busy endpoint would otherwise cost a Secret
   * read per attempt. Rotation writes a new Secret (a new name), so only an in-place edit of a
   * user's {@code secretRef} Secret waits out the TTL.
   */
  private final RecentReads<SigningKey> recentKeys = new RecentReads<>();

  private SigningKey read(WebhookEndpoint endpoint, SecretKeyRef ref, Source source)
      throws SigningSecretException {
    // the algorithm is part of it: a user's key is checked against the one the spec asks for
    String cacheKey =
        endpoint.getMetadata().getUid()
            + "/"
            + source
            + "/"
            + ref.getName()
            + "/"
            + ref.getKey()
            + "/"
            + algorithm(endpoint);
    return recentKeys.get(
        cacheKey, SigningSecretException.class, () -> readFromApi(endpoint, ref, source));
  }

  private SigningKey readFromApi(WebhookEndpoint endpoint, SecretKeyRef ref, Source source)
      throws SigningSecretException {
    String namespace = endpoint.getMetadata().getNamespace();
    Map<String, String> values;
    if (source == Source.USER) {
      try {
        values = UserSecrets.read(client, namespace, ref.getName());
      } catch (UserSecrets.UnusableSecretException e) {
        throw new SigningSecretException(
            e.unreadable() ? EndpointReason.SecretUnreadable : EndpointReason.SecretNotFound,
            e.getMessage());
      }
    } else {
      Secret secret;
      try {
        secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
      } catch (KubernetesClientException e) {
        throw new SigningSecretException(
            EndpointReason.SecretUnreadable,
            "cannot read Secret " + ref.getName() + ": HTTP " + e.getCode());
      }
      if (source == Source.RETIRED
          && (secret == null || !GeneratedSigningSecrets.generatedFor(secret, endpoint))) {
        return null;
      }
      if (secret == null) {
        throw new SigningSecretException(
            EndpointReason.SecretNotFound,
            "Secret " + ref.getName() + " not found in namespace " + namespace);
      }
      if (!GeneratedSigningSecrets.generatedFor(secret, endpoint)) {
        throw new SigningSecretException(
            EndpointReason.SecretConflict, GeneratedSigningSecrets.conflictMessage(ref.getName()));
      }
      values = SecretValues.decode(secret);
    }
    String value = values.get(ref.getKey());
    if (value == null) {
      throw new SigningSecretException(
          EndpointReason.SecretKeyMissing,
          "Secret " + ref.getName() + " has no key " + ref.getKey());
    }
    SigningAlgorithm wanted = algorithm(endpoint);
    SigningKey key;
    try {
      key = SigningKey.parse(value.trim());
    } catch (IllegalArgumentException e) {
      // The parse message is written not to echo the value; still, name only the Secret.
      throw new SigningSecretException(
          EndpointReason.SecretInvalid,
          "Secret " + ref.getName() + " key " + ref.getKey() + " is not " + expected(wanted));
    }
    // A generated key keeps its own algorithm (during a switch the old one still signs); a user's
    // must be the one the spec names, which is what its receivers were told to verify.
    if (source == Source.USER && key.algorithm() != wanted) {
      throw new SigningSecretException(
          EndpointReason.SecretInvalid,
          "Secret "
              + ref.getName()
              + " key "
              + ref.getKey()
              + " holds a "
              + key.algorithm().specName()
              + " key, but spec.signing.algorithm is "
              + wanted.specName()
              + ": it must be "
              + expected(wanted));
    }
    return key;
  }

  private static String expected(SigningAlgorithm algorithm) {
    return algorithm == SigningAlgorithm.ED25519
        ? "a whsk_ ed25519 secret key (whsk_ + base64 of the 32-byte seed, or of seed and public"
            + " key)"
        : "a whsec_ secret (whsec_ + base64 of the key)";
  }
}
