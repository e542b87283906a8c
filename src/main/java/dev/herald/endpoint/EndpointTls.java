package dev.herald.endpoint;

import dev.herald.api.v1alpha1.CaBundleSpec;
import dev.herald.api.v1alpha1.EndpointReason;
import dev.herald.api.v1alpha1.TlsSpec;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.http.TlsMaterial;
import dev.herald.http.Transport;
import dev.herald.http.WebhookRequest;
import dev.herald.kube.SecretValues;
import dev.herald.kube.UserSecrets;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;

/**
 * The TLS material of an endpoint's {@code spec.tls}, read and checked: the client certificate from
 * a {@code kubernetes.io/tls} Secret marked for Herald ({@link UserSecrets}), the CA bundle from a
 * ConfigMap (no marking: a CA certificate is public) or from a marked Secret.
 *
 * <p>Like the signing keys ({@link SigningKeys}), Secrets and ConfigMaps are not watched: the
 * delivery path reads them with a short cache ({@link RecentReads}), so an edit is used within that
 * time without a restart, and the endpoint reconciler checks them afresh at the Secret retry pace
 * while they are unusable. A client certificate that expired is refused before any attempt, so
 * deliveries wait for a renewed one rather than spend retries on handshakes bound to fail.
 */
public class EndpointTls {
  static final String TLS_TYPE = "kubernetes.io/tls";

  private final KubernetesClient client;
  private final Vertx vertx;
  private final Clock clock;

  /** A problem is kept as long as material: a broken reference is not read per attempt either. */
  private record Cached(TlsMaterial material, TlsReferenceException problem) {}

  private final RecentReads<Cached> recent = new RecentReads<>();

  public EndpointTls(KubernetesClient client, Vertx vertx, Clock clock) {
    this.client = client;
    this.vertx = vertx;
    this.clock = clock;
  }

  /** The endpoint's material for an attempt, or null when it has no {@code spec.tls}. */
  public TlsMaterial materialFor(WebhookEndpoint endpoint) throws TlsReferenceException {
    TlsSpec spec = endpoint.getSpec() == null ? null : endpoint.getSpec().getTls();
    if (spec == null) {
      return null;
    }
    // the spec is part of the key: an edit of spec.tls takes effect at once
    String key = endpoint.getMetadata().getUid() + "/" + endpoint.getMetadata().getGeneration();
    Cached cached =
        recent.get(
            key,
            RuntimeException.class,
            () -> {
              try {
                return new Cached(read(endpoint, spec), null);
              } catch (TlsReferenceException e) {
                return new Cached(null, e);
              }
            });
    if (cached.problem() != null) {
      throw cached.problem();
    }
    return checkedNow(cached.material());
  }

  /**
   * {@code request} over the endpoint's TLS material and proxy choice: the one home of both for
   * every path that sends to an endpoint.
   */
  public WebhookRequest applyTo(WebhookRequest request, WebhookEndpoint endpoint)
      throws TlsReferenceException {
    boolean bypass =
        endpoint.getSpec() != null && Boolean.TRUE.equals(endpoint.getSpec().getBypassProxy());
    return request.withTransport(new Transport(materialFor(endpoint), bypass));
  }

  /** Checks {@code spec.tls} as it is now (not from the cache), for the endpoint's condition. */
  public void check(WebhookEndpoint endpoint) throws TlsReferenceException {
    TlsSpec spec = endpoint.getSpec() == null ? null : endpoint.getSpec().getTls();
    if (spec != null) {
      checkedNow(read(endpoint, spec));
    }
  }

  private TlsMaterial checkedNow(TlsMaterial material) throws TlsReferenceException {
    String problem = material == null ? null : material.validityProblem(clock.instant());
    if (problem != null) {
      throw new TlsReferenceException(
          EndpointReason.TlsCertificateExpired,
          problem + "; renew the certificate in spec.tls.clientCertificateSecretName");
    }
    return material;
  }

  private TlsMaterial read(WebhookEndpoint endpoint, TlsSpec spec) throws TlsReferenceException {
    String namespace = endpoint.getMetadata().getNamespace();
    String cert = null;
    String key = null;
    String certSecret = spec.getClientCertificateSecretName();
    if (certSecret != null) {
      Secret secret = userSecret(namespace, certSecret);
      if (!TLS_TYPE.equals(secret.getType())) {
        throw new TlsReferenceException(
            EndpointReason.TlsReferenceInvalid,
            "Secret "
                + certSecret
                + " is of type "
                + secret.getType()
                + "; a client certificate needs type "
                + TLS_TYPE);
      }
      Map<String, String> values = SecretValues.decode(secret);
      cert = required(values, "Secret " + certSecret, "tls.crt");
      key = required(values, "Secret " + certSecret, "tls.key");
    }
    CaBundleSpec bundle = spec.getCaBundle();
    String ca = null;
    boolean system = true;
    if (bundle != null) {
      ca = caBundle(namespace, bundle);
      system = !Boolean.FALSE.equals(bundle.getIncludeSystemCAs());
    }
    try {
      return TlsMaterial.parse(vertx, cert, key, ca, system);
    } catch (TlsMaterial.InvalidMaterialException e) {
      throw new TlsReferenceException(
          EndpointReason.TlsReferenceInvalid, "spec.tls: " + e.getMessage());
    }
  }

  private String caBundle(String namespace, CaBundleSpec bundle) throws TlsReferenceException {
    String key = bundle.getKey() == null ? CaBundleSpec.DEFAULT_KEY : bundle.getKey();
    if ((bundle.getConfigMapName() == null) == (bundle.getSecretName() == null)) {
      throw new TlsReferenceException(
          EndpointReason.TlsReferenceInvalid,
          "spec.tls.caBundle needs exactly one of configMapName and secretName");
    }
    if (bundle.getSecretName() != null) {
      return required(
          SecretValues.decode(userSecret(namespace, bundle.getSecretName())),
          "Secret " + bundle.getSecretName(),
          key);
    }
    ConfigMap map;
    try {
      map = client.configMaps().inNamespace(namespace).withName(bundle.getConfigMapName()).get();
    } catch (KubernetesClientException e) {
      throw new TlsReferenceException(
          EndpointReason.SecretUnreadable,
          "cannot read ConfigMap " + bundle.getConfigMapName() + ": HTTP " + e.getCode());
    }
    if (map == null) {
      throw new TlsReferenceException(
          EndpointReason.TlsReferenceNotFound,
          "ConfigMap " + bundle.getConfigMapName() + " not found");
    }
    String value = map.getData() == null ? null : map.getData().get(key);
    if (value == null) {
      throw new TlsReferenceException(
          EndpointReason.TlsReferenceInvalid,
          "ConfigMap " + bundle.getConfigMapName() + " has no key " + key);
    }
    return value;
  }

  private Secret userSecret(String namespace, String name) throws TlsReferenceException {
    try {
      return UserSecrets.get(client, namespace, name);
    } catch (UserSecrets.UnusableSecretException e) {
      throw new TlsReferenceException(
          e.unreadable() ? EndpointReason.SecretUnreadable : EndpointReason.TlsReferenceNotFound,
          e.getMessage());
    }
  }

  private static String required(Map<String, String> values, String where, String key)
      throws TlsReferenceException {
    String value = values.get(key);
    if (value == null || value.isBlank()) {
      throw new TlsReferenceException(
          EndpointReason.TlsReferenceInvalid, where + " has no key " + key);
    }
    return value;
  }
}
