package dev.herald.kube.client;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * fabric8's HTTP client with every request first passing the {@link Throttle}. fabric8's
 * interceptors cannot do this: their {@code before} hook is synchronous, so the only way to wait
 * there is to block whichever thread happens to send. Clients derived with {@link #newBuilder()}
 * (fabric8 derives one per request timeout) share the throttle; only the root client owns it.
 * WebSockets (how fabric8 watches) bypass it.
 */
final class ThrottledHttpClient implements HttpClient {
  private final HttpClient delegate;
  private final Throttle throttle;
  private final boolean ownsThrottle;

  ThrottledHttpClient(HttpClient delegate, Throttle throttle, boolean ownsThrottle) {
    this.delegate = delegate;
    this.throttle = throttle;
    this.ownsThrottle = ownsThrottle;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, Class<T> type) {
    return throttle.send(request, () -> delegate.sendAsync(request, type));
  }

  @Override
  public CompletableFuture<HttpResponse<AsyncBody>> consumeBytes(
      HttpRequest request, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    return throttle.send(request, () -> delegate.consumeBytes(request, consumer));
  }

  @Override
  public DerivedClientBuilder newBuilder() {
    return new Derived(delegate.newBuilder(), throttle);
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  @Override
  public HttpRequest.Builder newHttpRequestBuilder() {
    return delegate.newHttpRequestBuilder();
  }

  @Override
  public boolean isClosed() {
    return delegate.isClosed();
  }

  @Override
  public void close() {
    delegate.close();
    if (ownsThrottle) {
      throttle.close();
    }
  }

  private record Derived(DerivedClientBuilder delegate, Throttle throttle)
      implements DerivedClientBuilder {
    @Override
    public HttpClient build() {
      return new ThrottledHttpClient(delegate.build(), throttle, false);
    }

    @Override
    public DerivedClientBuilder addOrReplaceInterceptor(String name, Interceptor interceptor) {
      return new Derived(delegate.addOrReplaceInterceptor(name, interceptor), throttle);
    }

    @Override
    public DerivedClientBuilder authenticatorNone() {
      return new Derived(delegate.authenticatorNone(), throttle);
    }

    @Override
    public DerivedClientBuilder tag(Object value) {
      return new Derived(delegate.tag(value), throttle);
    }
  }
}
