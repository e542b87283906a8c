package dev.herald.http;

import java.util.List;
import java.util.Objects;

/**
 * What an OAuth2 client-credentials token request needs, as read from an endpoint and its Secret.
 *
 * @param cacheKey names the token in the sender's cache: the endpoint and a hash of everything
 *     above, so a changed Secret or spec asks for a new token at once and two endpoints never share
 *     one
 * @param postClientAuth client id and secret in the form body (client_secret_post) instead of HTTP
 *     Basic (client_secret_basic)
 */
public record OAuth2Grant(
    String tokenUrl,
    String clientId,
    String clientSecret,
    List<String> scopes,
    String audience,
    boolean postClientAuth,
    String cacheKey) {

  public OAuth2Grant {
    Objects.requireNonNull(tokenUrl, "tokenUrl");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(cacheKey, "cacheKey");
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }

  /** Never the client secret: a record's default text would print it into any log line. */
  @Override
  public String toString() {
    return "OAuth2Grant[tokenUrl=" + tokenUrl + ", scopes=" + scopes + "]";
  }
}
