package dev.herald.endpoint;

import dev.herald.api.v1alpha1.AuthSpec;
import dev.herald.api.v1alpha1.BasicAuthSpec;
import dev.herald.api.v1alpha1.EndpointReason;
import dev.herald.api.v1alpha1.HeaderFromSecret;
import dev.herald.api.v1alpha1.OAuth2Spec;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.http.HeaderRules;
import dev.herald.http.OAuth2Grant;
import dev.herald.kube.Hashes;
import dev.herald.kube.UserSecrets;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The credentials an endpoint's requests carry ({@code spec.auth}, {@code spec.headersFrom}), read
 * from the user's Secrets by the one rule for them ({@link UserSecrets}: only Secrets labelled for
 * Herald; an unlabelled one is answered like a missing one). Read on the delivery path with the
 * same short cache as signing keys, so an edited Secret is used within {@link RecentReads#TTL}
 * without a restart; checked uncached by the endpoint reconciler.
 */
public class EndpointCredentials {
  /**
   * What a request adds: headers (Authorization for bearer and basic, those of headersFrom) and,
   * for OAuth2, what the sender needs to get a token.
   */
  public record Resolved(Map<String, String> headers, OAuth2Grant oauth2) {
    public static final Resolved NONE = new Resolved(Map.of(), null);

    public Resolved {
      headers = Map.copyOf(headers);
    }

    /** Header names only: the values are credentials. */
    @Override
    public String toString() {
      return "Resolved[headers=" + headers.keySet() + ", oauth2=" + oauth2 + "]";
    }
  }

  /** Reads a Secret's values the way the caller wants (cached or not). */
  private interface Reader {
    Map<String, String> read(String namespace, String name)
        throws UserSecrets.UnusableSecretException;
  }

  private final KubernetesClient client;
  private final RecentReads<Map<String, String>> recent = new RecentReads<>();

  public EndpointCredentials(KubernetesClient client) {
    this.client = client;
  }

  /** True when the endpoint's requests carry credentials from Secrets. */
  public static boolean uses(WebhookEndpoint endpoint) {
    var spec = endpoint.getSpec();
    AuthSpec auth = spec.getAuth();
    boolean any =
        auth != null
            && (auth.getBearer() != null || auth.getBasic() != null || auth.getOauth2() != null);
    return any || (spec.getHeadersFrom() != null && !spec.getHeadersFrom().isEmpty());
  }

  /** The credentials to send now; Secrets read in the last few seconds are not read again. */
  public Resolved of(WebhookEndpoint endpoint) throws CredentialsException {
    return uses(endpoint) ? resolve(endpoint, this::cachedRead) : Resolved.NONE;
  }

  /** Checks that every Secret the credentials name can be used, as it is now. */
  public void check(WebhookEndpoint endpoint) throws CredentialsException {
    if (uses(endpoint)) {
      resolve(endpoint, (ns, name) -> UserSecrets.read(client, ns, name));
    }
  }

  private Map<String, String> cachedRead(String namespace, String name)
      throws UserSecrets.UnusableSecretException {
    return recent.get(
        namespace + "/" + name,
        UserSecrets.UnusableSecretException.class,
        () -> Map.copyOf(UserSecrets.read(client, namespace, name)));
  }

  private static Resolved resolve(WebhookEndpoint endpoint, Reader reader)
      throws CredentialsException {
    var spec = endpoint.getSpec();
    String namespace = endpoint.getMetadata().getNamespace();
    Map<String, String> headers = new LinkedHashMap<>();
    OAuth2Grant oauth2 = null;
    AuthSpec auth = spec.getAuth();
    if (auth != null && auth.getBearer() != null) {
      var ref = auth.getBearer().getSecretRef();
      String field = "spec.auth.bearer.secretRef";
      String token = value(reader, namespace, field, ref.getName(), ref.getKey());
      headers.put("Authorization", headerValue(field, ref.getName(), "Bearer " + token));
    } else if (auth != null && auth.getBasic() != null) {
      BasicAuthSpec.SecretRef ref = auth.getBasic().getSecretRef();
      String field = "spec.auth.basic.secretRef";
      Map<String, String> values = read(reader, namespace, field, ref.getName());
      String user =
          keyOr(
              values,
              field,
              ref.getName(),
              ref.getUsernameKey(),
              BasicAuthSpec.DEFAULT_USERNAME_KEY);
      String password =
          keyOr(
              values,
              field,
              ref.getName(),
              ref.getPasswordKey(),
              BasicAuthSpec.DEFAULT_PASSWORD_KEY);
      if (user.indexOf(':') >= 0) {
        throw new CredentialsException(
            EndpointReason.AuthSecretInvalid,
            field + ": the user name in Secret " + ref.getName() + " holds a colon (RFC 7617)");
      }
      String pair = user + ":" + password;
      headers.put(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else if (auth != null && auth.getOauth2() != null) {
      oauth2 = grant(endpoint, auth.getOauth2(), reader);
    }
    if (spec.getHeadersFrom() != null) {
      for (HeaderFromSecret h : spec.getHeadersFrom()) {
        String field = "spec.headersFrom[" + h.getName() + "]";
        var ref = h.getSecretRef();
        String v = value(reader, namespace, field, ref.getName(), ref.getKey());
        var problem = HeaderRules.problem(h.getName(), v);
        if (problem.isPresent()) {
          throw new CredentialsException(
              EndpointReason.AuthSecretInvalid,
              field + ": Secret " + ref.getName() + " key " + ref.getKey() + ": " + problem.get());
        }
        headers.put(h.getName(), v);
      }
    }
    return new Resolved(headers, oauth2);
  }

  private static OAuth2Grant grant(WebhookEndpoint endpoint, OAuth2Spec spec, Reader reader)
      throws CredentialsException {
    var ref = spec.getClientSecretRef();
    String field = "spec.auth.oauth2.clientSecretRef";
    Map<String, String> values =
        read(reader, endpoint.getMetadata().getNamespace(), field, ref.getName());
    String id =
        keyOr(values, field, ref.getName(), ref.getClientIdKey(), OAuth2Spec.DEFAULT_CLIENT_ID_KEY);
    String secret =
        keyOr(
            values,
            field,
            ref.getName(),
            ref.getClientSecretKey(),
            OAuth2Spec.DEFAULT_CLIENT_SECRET_KEY);
    List<String> scopes = spec.getScopes() == null ? List.of() : spec.getScopes();
    boolean post = "post".equals(spec.getClientAuth());
    String identity =
        String.join(
            "\u0000",
            spec.getTokenUrl(),
            id,
            secret,
            String.join(" ", scopes),
            spec.getAudience() == null ? "" : spec.getAudience(),
            Boolean.toString(post));
    String cacheKey =
        endpoint.getMetadata().getUid() + "/" + HexFormat.of().formatHex(Hashes.sha256(identity));
    return new OAuth2Grant(
        spec.getTokenUrl(), id, secret, scopes, spec.getAudience(), post, cacheKey);
  }

  private static String value(
      Reader reader, String namespace, String field, String secret, String key)
      throws CredentialsException {
    return key(read(reader, namespace, field, secret), field, secret, key);
  }

  private static Map<String, String> read(
      Reader reader, String namespace, String field, String secret) throws CredentialsException {
    try {
      return reader.read(namespace, secret);
    } catch (UserSecrets.UnusableSecretException e) {
      throw new CredentialsException(
          e.unreadable() ? EndpointReason.SecretUnreadable : EndpointReason.AuthSecretNotFound,
          field + ": " + e.getMessage());
    }
  }

  /**
   * The value under {@code key}, without the line break a file-made Secret ends with ({@code
   * kubectl create secret --from-file}); empty counts as missing.
   */
  private static String key(Map<String, String> values, String field, String secret, String key)
      throws CredentialsException {
    String v = values.get(key);
    if (v != null) {
      v = v.replaceFirst("\\r?\\n$", "");
    }
    if (v == null || v.isEmpty()) {
      throw new CredentialsException(
          EndpointReason.AuthSecretKeyMissing,
          field + ": Secret " + secret + " has no key " + key + " (or it is empty)");
    }
    return v;
  }

  private static String headerValue(String field, String secret, String value)
      throws CredentialsException {
    if (HeaderRules.problem("Authorization", value).isPresent()) {
      throw new CredentialsException(
          EndpointReason.AuthSecretInvalid,
          field
              + ": the value in Secret "
              + secret
              + " holds a character other than printable ASCII or is longer than 4096 characters");
    }
    return value;
  }

  /** {@link #key}, where the spec may leave the key out for {@code fallback}. */
  private static String keyOr(
      Map<String, String> values, String field, String secret, String key, String fallback)
      throws CredentialsException {
    return key(values, field, secret, key == null ? fallback : key);
  }
}
