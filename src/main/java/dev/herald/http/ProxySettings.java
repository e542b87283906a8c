package dev.herald.http;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The operator-wide forward proxy: an HTTP proxy that attempts tunnel through with CONNECT.
 *
 * @param host the proxy's host; it passes the egress policy like any receiver
 * @param credentials read before each attempt, so a changed Secret is used without a restart; empty
 *     for a proxy without authentication
 */
public record ProxySettings(String host, int port, Supplier<Optional<Credentials>> credentials) {
  /** Proxy basic credentials. Never printed. */
  public record Credentials(String username, String password) {
    public Credentials {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Credentials[***]";
    }
  }

  public ProxySettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(credentials, "credentials");
    if (host.isBlank() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("proxy needs a host and a port 1 to 65535");
    }
  }

  /**
   * Parses {@code --proxy}: {@code http://host:port} (the scheme of the proxy connection itself;
   * attempts still use TLS to the receiver inside the tunnel). Credentials never go in the URL.
   */
  public static ProxySettings parse(String url, Supplier<Optional<Credentials>> credentials) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getReason());
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("the proxy URL must be http://host:port");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "put proxy credentials in a Secret (--proxy-credentials-dir), not in the URL");
    }
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("the proxy URL needs a host and a port");
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new ProxySettings(host, uri.getPort(), credentials);
  }

  @Override
  public String toString() {
    return "proxy " + host + ":" + port;
  }
}
