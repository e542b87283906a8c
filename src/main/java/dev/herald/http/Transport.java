package dev.herald.http;

/**
 * How an exchange connects, as its endpoint chose it: the same for the webhook and for the
 * endpoint's OAuth2 token request.
 *
 * @param tls the endpoint's client certificate and CAs ({@code spec.tls}); null: the sender's
 *     default trust and no client certificate
 * @param bypassProxy connect directly even when the sender has a proxy ({@code spec.bypassProxy})
 */
public record Transport(TlsMaterial tls, boolean bypassProxy) {
  /** The operator's default TLS and proxy. */
  public static final Transport DEFAULT = new Transport(null, false);
}
