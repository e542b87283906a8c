package dev.herald.kube.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.TlsVersion;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/** fabric8's own HTTP client factory, whose clients pass the {@link Throttle} before sending. */
final class ThrottledHttpClientFactory implements HttpClient.Factory {
  private final HttpClient.Factory delegate;
  private final Throttle throttle;

  ThrottledHttpClientFactory(HttpClient.Factory delegate, Throttle throttle) {
    this.delegate = delegate;
    this.throttle = throttle;
  }

  @Override
  public HttpClient.Builder newBuilder(Config config) {
    return new Builder(delegate.newBuilder(config), throttle);
  }

  @Override
  public HttpClient.Builder newBuilder() {
    return new Builder(delegate.newBuilder(), throttle);
  }

  @Override
  public int priority() {
    return delegate.priority();
  }

  /** Configures fabric8's builder unchanged; only the client it builds is wrapped. */
  private static final class Builder implements HttpClient.Builder {
    private final HttpClient.Builder delegate;
    private final Throttle throttle;

    Builder(HttpClient.Builder delegate, Throttle throttle) {
      this.delegate = delegate;
      this.throttle = throttle;
    }

    @Override
    public HttpClient build() {
      return new ThrottledHttpClient(delegate.build(), throttle, true);
    }

    @Override
    public HttpClient.Builder connectTimeout(long timeout, TimeUnit unit) {
      delegate.connectTimeout(timeout, unit);
      return this;
    }

    @Override
    public HttpClient.Builder addOrReplaceInterceptor(String name, Interceptor interceptor) {
      delegate.addOrReplaceInterceptor(name, interceptor);
      return this;
    }

    @Override
    public HttpClient.Builder authenticatorNone() {
      delegate.authenticatorNone();
      return this;
    }

    @Override
    public HttpClient.Builder tag(Object value) {
      delegate.tag(value);
      return this;
    }

    @Override
    public HttpClient.Builder sslContext(KeyManager[] keyManagers, TrustManager[] trustManagers) {
      delegate.sslContext(keyManagers, trustManagers);
      return this;
    }

    @Override
    public HttpClient.Builder followAllRedirects() {
      delegate.followAllRedirects();
      return this;
    }

    @Override
    public HttpClient.Builder proxyAddress(InetSocketAddress address) {
      delegate.proxyAddress(address);
      return this;
    }

    @Override
    public HttpClient.Builder proxyAuthorization(String credentials) {
      delegate.proxyAuthorization(credentials);
      return this;
    }

    @Override
    public HttpClient.Builder tlsVersions(TlsVersion... tlsVersions) {
      delegate.tlsVersions(tlsVersions);
      return this;
    }

    @Override
    public HttpClient.Builder preferHttp11() {
      delegate.preferHttp11();
      return this;
    }

    @Override
    public HttpClient.Builder proxyType(HttpClient.ProxyType type) {
      delegate.proxyType(type);
      return this;
    }
  }
}
