package dev.herald.egress;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a URL a user wrote would send a request: the one rule for which URLs Herald connects to at
 * all, shared by the endpoint's validation (which reports it as {@code InvalidSpec}) and the sender
 * (which reports it as {@code Blocked} for URLs no validation saw, such as a digest's webhook). The
 * {@link Target}'s host then goes through {@link Egress#route}, which checks its addresses.
 */
public sealed interface Destination permits Destination.Target, Destination.Invalid {

  /**
   * A URL Herald may connect to, policy permitting.
   *
   * @param host the host as written, without IPv6 brackets: what {@link Egress#route} resolves and
   *     what TLS checks the certificate against
   * @param port the URL's port, or the scheme's default
   * @param plainHttp whether the scheme is {@code http} (the sender refuses it unless allowed)
   */
  record Target(String host, int port, boolean plainHttp) implements Destination {}

  /** Why the URL cannot be used: a sentence about the URL, never quoting more of it than needed. */
  record Invalid(String reason) implements Destination {}

  /**
   * The destination of {@code url}: an http or https URL with a host, no credentials, a port 1 to
   * 65535.
   */
  static Destination of(String url) {
    if (url == null || url.isBlank()) {
      return new Invalid("the URL is empty");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return new Invalid("the URL is not valid: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return new Invalid("only http and https URLs can be delivered to");
    }
    if (uri.getHost() == null) {
      return new Invalid("the URL has no host");
    }
    if (uri.getUserInfo() != null) {
      return new Invalid("the URL must not carry credentials");
    }
    int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
    if (port < 1 || port > 65535) {
      return new Invalid("the URL has port " + port + "; ports are 1 to 65535");
    }
    return new Target(withoutBrackets(uri.getHost()), port, scheme.equals("http"));
  }

  /**
   * A host without the brackets of an IPv6 literal ({@code [::1]} is {@code ::1}): the form
   * certificates and {@link IpLiteral#format} use. Anything else is returned as is.
   */
  public static String withoutBrackets(String host) {
    if (host.startsWith("[") && host.endsWith("]") && IpLiteral.parse(host) != null) {
      return host.substring(1, host.length() - 1);
    }
    return host;
  }
}
