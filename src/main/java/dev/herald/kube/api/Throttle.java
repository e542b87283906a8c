package dev.herald.kube.api;

import dev.herald.metrics.HeraldMetrics;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Utils;
import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Holds Kubernetes API requests back to the token bucket's rate without blocking any thread: a
 * request that must wait is handed to a timer and sent when its token is due. fabric8 calls the
 * HTTP client from reconcile threads, informer callbacks and its own scheduler (on the JDK client
 * also from the HttpClient's completion threads, on Vert.x from event loops); sleeping in any of
 * them but the first would stall unrelated work, so nobody sleeps.
 */
final class Throttle implements AutoCloseable {
  private final TokenBucket bucket;
  private final HeraldMetrics metrics;
  private final ScheduledExecutorService timer;

  Throttle(TokenBucket bucket, HeraldMetrics metrics) {
    this.bucket = bucket;
    this.metrics = metrics;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "herald-kube-api-throttle");
      t.setDaemon(true);
      return t;
    });
  }

  /** Sends now or once the request's token is due; watches and Lease requests are never held back. */
  <T> CompletableFuture<T> send(HttpRequest request, Supplier<CompletableFuture<T>> send) {
    if (ApiCall.isWatch(request.uri()) || ApiCall.isLeaderElection(request.uri())) {
      return send.get();
    }
    Duration wait = bucket.reserve();
    metrics.kubeApiThrottled(wait);
    if (wait.isZero()) {
      return send.get();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    timer.schedule(() -> {
      if (result.isDone()) {
        return; // cancelled (a request timeout) while waiting: do not send it at all
      }
      try {
        send.get().whenComplete((value, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
          } else if (!result.complete(value)) {
            discard(value);
          }
        });
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }, wait.toNanos(), TimeUnit.NANOSECONDS);
    return result;
  }

  /** A response nobody waits for any more still holds a connection until its body is let go. */
  private static void discard(Object value) {
    if (value instanceof HttpResponse<?> response) {
      if (response.body() instanceof AsyncBody body) {
        body.cancel();
      } else if (response.body() instanceof Closeable closeable) {
        Utils.closeQuietly(closeable);
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
