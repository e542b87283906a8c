package dev.herald.endpoint;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.RetiredSecret;
import dev.herald.api.v1alpha1.SecretKeyRef;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.kube.Hashes;
import dev.herald.kube.LabelValues;
import dev.herald.kube.Times;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Secrets that hold endpoints' signing keys: generated ones (created, rotated, deleted here)
 * and user-provided ones named by {@code spec.signing.secretRef} (only read).
 */
public class SigningSecrets {
  private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int MAX_NAME = 253;

  private final KubernetesClient client;

  public SigningSecrets(KubernetesClient client) {
    this.client = client;
  }

  /**
   * A name derived from the endpoint's uid and the rotation value, so a retried or repeated
   * reconcile finds the Secret it already created instead of minting a second key, and a
   * re-created endpoint (new uid) never reuses an old one.
   */
  public static String generatedName(WebhookEndpoint endpoint, String rotation) {
    String prefix = endpoint.getMetadata().getName() + "-signing-";
    if (prefix.length() > MAX_NAME - 5) {
      prefix = prefix.substring(0, MAX_NAME - 5);
    }
    byte[] digest = Hashes.sha256(endpoint.getMetadata().getUid() + "/" + (rotation == null ? "" : rotation));
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(NAME_ALPHABET.charAt(Byte.toUnsignedInt(digest[i]) % NAME_ALPHABET.length()));
    }
    return prefix + suffix;
  }

  /** Creates the generated Secret with a fresh key unless it exists; returns whether it was created. */
  public boolean ensureGenerated(WebhookEndpoint endpoint, String name) {
    String namespace = endpoint.getMetadata().getNamespace();
    if (client.secrets().inNamespace(namespace).withName(name).get() != null) {
      return false;
    }
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(Herald.LABEL_ENDPOINT, LabelValues.orHash(endpoint.getMetadata().getName()))
            .addToLabels(Herald.LABEL_ENDPOINT_UID, endpoint.getMetadata().getUid())
            .addToLabels(Herald.LABEL_MANAGED_BY, Herald.MANAGED_BY)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(endpoint.getApiVersion())
                    .withKind(endpoint.getKind())
                    .withName(endpoint.getMetadata().getName())
                    .withUid(endpoint.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(false)
                    .build())
            .endMetadata()
            .withType("Opaque")
            .addToData(Herald.SECRET_KEY, base64(SecretGenerator.generate()))
            .build();
    try {
      client.secrets().inNamespace(namespace).resource(secret).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false; // a concurrent or earlier reconcile created it: keep that key
      }
      throw e;
    }
  }

  public void delete(String namespace, String name) {
    client.secrets().inNamespace(namespace).withName(name).delete();
  }

  /**
   * Deletes the Secrets generated for this endpoint, by the names its status records. By name,
   * so the operator needs no list or deletecollection right on Secrets; anything a crash left
   * unrecorded carries an owner reference and goes with the endpoint.
   */
  public void deleteAllGenerated(WebhookEndpoint endpoint) {
    var status = endpoint.getStatus();
    if (status == null) {
      return;
    }
    String namespace = endpoint.getMetadata().getNamespace();
    var signing = endpoint.getSpec() == null ? null : endpoint.getSpec().getSigning();
    String userSecret = signing == null || signing.getSecretRef() == null ? null : signing.getSecretRef().getName();
    if (status.getSigningSecretName() != null && !status.getSigningSecretName().equals(userSecret)) {
      deleteIfGenerated(namespace, status.getSigningSecretName(), endpoint);
    }
    if (status.getRetiredSecrets() != null) {
      status.getRetiredSecrets().forEach(r -> deleteIfGenerated(namespace, r.getName(), endpoint));
    }
  }

  /** Only a Secret we generated for this endpoint uid: never a user's Secret of the same name. */
  private void deleteIfGenerated(String namespace, String name, WebhookEndpoint endpoint) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret != null
        && secret.getMetadata().getLabels() != null
        && endpoint.getMetadata().getUid().equals(secret.getMetadata().getLabels().get(Herald.LABEL_ENDPOINT_UID))) {
      client.secrets().inNamespace(namespace).withName(name).delete();
    }
  }

  /** The Secret and key the endpoint signs with now. */
  public static SecretKeyRef currentRef(WebhookEndpoint endpoint) {
    var signing = endpoint.getSpec().getSigning();
    if (signing != null && signing.getSecretRef() != null) {
      SecretKeyRef ref = signing.getSecretRef();
      return new SecretKeyRef(ref.getName(), ref.getKey() == null ? Herald.SECRET_KEY : ref.getKey());
    }
    String generated = endpoint.getStatus() == null ? null : endpoint.getStatus().getSigningSecretName();
    return generated == null ? null : new SecretKeyRef(generated, Herald.SECRET_KEY);
  }

  /**
   * The keys to sign with at {@code now}: the current one, then those retired by a rotation whose
   * overlap has not ended (a retired Secret already gone is skipped: its overlap is over).
   */
  public List<SigningKey> keysFor(WebhookEndpoint endpoint, Instant now) throws SigningSecretException {
    SecretKeyRef current = currentRef(endpoint);
    if (current == null) {
      throw new SigningSecretException(
          "SecretNotReady", "the signing Secret of endpoint " + endpoint.getMetadata().getName() + " is not created yet");
    }
    String namespace = endpoint.getMetadata().getNamespace();
    List<SigningKey> keys = new ArrayList<>();
    keys.add(read(namespace, current, true));
    List<RetiredSecret> retired =
        endpoint.getStatus() == null || endpoint.getStatus().getRetiredSecrets() == null
            ? List.of()
            : endpoint.getStatus().getRetiredSecrets();
    for (RetiredSecret r : retired) {
      Instant expiry = Times.parse(r.getExpiryTime());
      if (expiry != null && expiry.isAfter(now)) {
        SigningKey key = read(namespace, new SecretKeyRef(r.getName(), Herald.SECRET_KEY), false);
        if (key != null) {
          keys.add(key);
        }
      }
    }
    return keys;
  }

  /** Checks that a Secret reference can be used, as it is now (not from the recent-keys cache). */
  public void check(String namespace, SecretKeyRef ref) throws SigningSecretException {
    readFromApi(namespace, ref, true);
  }

  /**
   * Keys read in the last {@link #KEY_CACHE_TTL}: a busy endpoint would otherwise cost a Secret
   * read per attempt. Rotation writes a new Secret (a new name), so only an in-place edit of a
   * user's {@code secretRef} Secret waits out the TTL.
   */
  static final java.time.Duration KEY_CACHE_TTL = java.time.Duration.ofSeconds(10);
  private record CachedKey(SigningKey key, long readAtNanos) {}
  private final java.util.concurrent.ConcurrentMap<String, CachedKey> recentKeys = new java.util.concurrent.ConcurrentHashMap<>();

  private SigningKey read(String namespace, SecretKeyRef ref, boolean required) throws SigningSecretException {
    String cacheKey = namespace + "/" + ref.getName() + "/" + ref.getKey();
    long now = System.nanoTime();
    CachedKey cached = recentKeys.get(cacheKey);
    if (cached != null && now - cached.readAtNanos() < KEY_CACHE_TTL.toNanos()) {
      return cached.key();
    }
    SigningKey key = readFromApi(namespace, ref, required);
    if (key != null) {
      if (recentKeys.size() > 10_000) {
        recentKeys.values().removeIf(c -> now - c.readAtNanos() >= KEY_CACHE_TTL.toNanos());
      }
      recentKeys.put(cacheKey, new CachedKey(key, now));
    } else {
      recentKeys.remove(cacheKey);
    }
    return key;
  }

  private SigningKey readFromApi(String namespace, SecretKeyRef ref, boolean required) throws SigningSecretException {
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    } catch (KubernetesClientException e) {
      throw new SigningSecretException(
          "SecretUnreadable", "cannot read Secret " + ref.getName() + ": HTTP " + e.getCode());
    }
    if (secret == null) {
      if (!required) {
        return null;
      }
      throw new SigningSecretException("SecretNotFound", "Secret " + ref.getName() + " not found in namespace " + namespace);
    }
    String value = valueOf(secret, ref.getKey());
    if (value == null) {
      throw new SigningSecretException(
          "SecretKeyMissing", "Secret " + ref.getName() + " has no key " + ref.getKey());
    }
    try {
      return SigningKey.parse(value.trim());
    } catch (IllegalArgumentException e) {
      // The parse message is written not to echo the value; still, name only the Secret.
      throw new SigningSecretException(
          "SecretInvalid",
          "Secret " + ref.getName() + " key " + ref.getKey() + " is not a whsec_ secret (whsec_ + base64 of the key)");
    }
  }

  private static String valueOf(Secret secret, String key) {
    Map<String, String> data = secret.getData();
    if (data != null && data.get(key) != null) {
      try {
        return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    Map<String, String> stringData = secret.getStringData();
    return stringData == null ? null : stringData.get(key);
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
