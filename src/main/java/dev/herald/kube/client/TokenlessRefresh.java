package dev.herald.kube.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * fabric8's token refresh, at most once a minute also when the client uses no token.
 *
 * <p>fabric8 re-reads its configuration (the kubeconfig file, parsed again) before a request once a
 * minute, but it notes the time of a refresh only when the refresh found a token. With a client
 * certificate and no token (a kubeconfig of client-certificate-data, as kubeadm and test clusters
 * write) it therefore re-reads the kubeconfig before every request after the first minute: in a
 * profile of the operator under load that was about a sixth of its CPU. Here a request without a
 * token skips the refresh until a minute after the last one, fabric8's own interval; with a token
 * (a service account, an exec plugin, OIDC) or basic auth fabric8's logic runs unchanged, and so
 * does the refresh after a 401 ({@link TokenRefreshInterceptor#afterFailure}).
 */
final class TokenlessRefresh extends TokenRefreshInterceptor {
  static final Duration INTERVAL = Duration.ofMinutes(1);

  private final LongSupplier nanoTime;
  private volatile long nextRefresh;

  TokenlessRefresh(Config config, HttpClient.Factory factory) {
    this(config, factory, Instant.now(), System::nanoTime);
  }

  /** {@code lastRefresh}: for fabric8's own interval; {@code nanoTime}: for this one. */
  TokenlessRefresh(
      Config config, HttpClient.Factory factory, Instant lastRefresh, LongSupplier nanoTime) {
    super(config, factory, lastRefresh);
    this.nanoTime = nanoTime;
    this.nextRefresh = nanoTime.getAsLong() + INTERVAL.toNanos();
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (tokenless(config) && !isBasicAuth()) {
      long now = nanoTime.getAsLong();
      if (now - nextRefresh < 0) {
        return; // fabric8 would set no header either: there is no token to send
      }
      nextRefresh = now + INTERVAL.toNanos();
    }
    super.before(builder, request, tags);
  }

  /**
   * No token from any source, and no OIDC provider (whose expired token fabric8 refreshes on the
   * request).
   */
  static boolean tokenless(Config config) {
    return config.getOauthTokenProvider() == null
        && empty(config.getOauthToken())
        && empty(config.getAutoOAuthToken())
        && (config.getAuthProvider() == null
            || !"oidc".equalsIgnoreCase(config.getAuthProvider().getName()));
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }
}
