package dev.herald.endpoint;

import dev.herald.api.v1alpha1.AuthSpec;
import dev.herald.api.v1alpha1.HeaderFromSecret;
import dev.herald.api.v1alpha1.OAuth2Spec;
import dev.herald.api.v1alpha1.Schemas;
import dev.herald.api.v1alpha1.WebhookEndpointSpec;
import dev.herald.egress.Destination;
import dev.herald.http.HeaderRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of {@code spec.auth} and {@code spec.headersFrom} a schema cannot make (one mechanism
 * at most, header names that collide, objects stored past the schema). What the Secrets hold is
 * checked when they are read ({@link EndpointCredentials}).
 */
final class AuthSettings {
  private static final Pattern SCOPE = Pattern.compile("[!#-\\[\\]-~]+");

  private AuthSettings() {}

  static void check(WebhookEndpointSpec spec) throws InvalidEndpointException {
    AuthSpec auth = spec.getAuth();
    int mechanisms = 0;
    if (auth != null) {
      if (auth.getBearer() != null) {
        mechanisms++;
        requireRef("spec.auth.bearer.secretRef", auth.getBearer().getSecretRef() != null);
        requireKey("spec.auth.bearer.secretRef", auth.getBearer().getSecretRef());
      }
      if (auth.getBasic() != null) {
        mechanisms++;
        requireRef(
            "spec.auth.basic.secretRef",
            auth.getBasic().getSecretRef() != null
                && auth.getBasic().getSecretRef().getName() != null);
      }
      if (auth.getOauth2() != null) {
        mechanisms++;
        checkOAuth2(auth.getOauth2());
      }
    }
    if (mechanisms > 1) {
      throw new InvalidEndpointException(
          "spec.auth may set one of bearer, basic and oauth2, not " + mechanisms);
    }
    Set<String> taken = new HashSet<>();
    if (spec.getHeaders() != null) {
      spec.getHeaders().keySet().forEach(h -> taken.add(h.toLowerCase(Locale.ROOT)));
    }
    if (mechanisms == 1 && taken.contains("authorization")) {
      throw new InvalidEndpointException(
          "spec.headers may not set Authorization while spec.auth sets it");
    }
    List<HeaderFromSecret> from = spec.getHeadersFrom();
    if (from == null) {
      return;
    }
    if (from.size() > Schemas.MAX_HEADERS) {
      throw new InvalidEndpointException(
          "spec.headersFrom has " + from.size() + " entries; at most " + Schemas.MAX_HEADERS);
    }
    List<String> problems = new ArrayList<>();
    for (HeaderFromSecret h : from) {
      if (h == null || h.getSecretRef() == null) {
        problems.add("an entry has no secretRef");
        continue;
      }
      String name = h.getName();
      // the name alone: its value is in a Secret, checked when it is read
      var problem = HeaderRules.problem(name, "");
      if (problem.isPresent()) {
        problems.add(problem.get());
        continue;
      }
      if (h.getSecretRef().getName() == null || h.getSecretRef().getKey() == null) {
        problems.add("header " + name + " needs secretRef name and key");
        continue;
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("authorization") && mechanisms == 1) {
        problems.add("header Authorization is set by spec.auth");
      } else if (!taken.add(lower)) {
        problems.add("header " + name + " is set twice (spec.headers or spec.headersFrom)");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidEndpointException("spec.headersFrom: " + String.join("; ", problems));
    }
  }

  private static void checkOAuth2(OAuth2Spec oauth2) throws InvalidEndpointException {
    String url = oauth2.getTokenUrl();
    if (url == null || url.isBlank()) {
      throw new InvalidEndpointException("spec.auth.oauth2.tokenUrl is required");
    }
    if (url.length() > Schemas.URL_MAX_LENGTH) {
      throw new InvalidEndpointException(
          "spec.auth.oauth2.tokenUrl is longer than " + Schemas.URL_MAX_LENGTH + " characters");
    }
    if (Destination.of(url) instanceof Destination.Invalid invalid) {
      throw new InvalidEndpointException("spec.auth.oauth2.tokenUrl: " + invalid.reason());
    }
    requireRef(
        "spec.auth.oauth2.clientSecretRef",
        oauth2.getClientSecretRef() != null && oauth2.getClientSecretRef().getName() != null);
    List<String> scopes = oauth2.getScopes() == null ? List.of() : oauth2.getScopes();
    if (scopes.size() > OAuth2Spec.MAX_SCOPES) {
      throw new InvalidEndpointException(
          "spec.auth.oauth2.scopes has more than " + OAuth2Spec.MAX_SCOPES + " entries");
    }
    for (String scope : scopes) {
      if (scope == null
          || scope.length() > OAuth2Spec.SCOPE_MAX_LENGTH
          || !SCOPE.matcher(scope).matches()) {
        throw new InvalidEndpointException(
            "spec.auth.oauth2.scopes: each scope is printable ASCII without spaces, quotes or"
                + " backslashes, at most "
                + OAuth2Spec.SCOPE_MAX_LENGTH
                + " characters");
      }
    }
    String audience = oauth2.getAudience();
    if (audience != null
        && !HeaderRules.isHeaderSafeText(audience, OAuth2Spec.AUDIENCE_MAX_LENGTH)) {
      throw new InvalidEndpointException(
          "spec.auth.oauth2.audience must be printable ASCII of at most "
              + OAuth2Spec.AUDIENCE_MAX_LENGTH
              + " characters");
    }
    if (oauth2.getClientAuth() != null
        && !oauth2.getClientAuth().equals("basic")
        && !oauth2.getClientAuth().equals("post")) {
      throw new InvalidEndpointException("spec.auth.oauth2.clientAuth must be basic or post");
    }
  }

  private static void requireRef(String field, boolean present) throws InvalidEndpointException {
    if (!present) {
      throw new InvalidEndpointException(field + " with a Secret name is required");
    }
  }

  private static void requireKey(String field, dev.herald.api.v1alpha1.SecretValueRef ref)
      throws InvalidEndpointException {
    if (ref.getName() == null || ref.getKey() == null) {
      throw new InvalidEndpointException(field + " needs name and key");
    }
  }
}
