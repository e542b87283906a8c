package dev.herald.kube.api;

import dev.herald.fairness.FairQueue;
import dev.herald.metrics.HeraldMetrics;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Utils;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Holds Kubernetes API requests back to the token bucket's rate without blocking any thread: a
 * request that must wait joins a line and is sent by a timer when a token is due. fabric8 calls the
 * HTTP client from reconcile threads, informer callbacks and its own scheduler (on the JDK client
 * also from the HttpClient's completion threads, on Vert.x from event loops); sleeping in any of
 * them but the first would stall unrelated work, so nobody sleeps.
 *
 * <p>The line is a {@link FairQueue} by namespace (from the request path): every namespace with
 * requests waiting gets its turn at the next token, so a namespace whose thousand retrying
 * deliveries want more than the whole budget takes its share, not everyone's.
 */
final class Throttle implements AutoCloseable {
  private final TokenBucket bucket;
  private final HeraldMetrics metrics;
  private final ScheduledExecutorService timer;
  private final Object lock = new Object();
  /** Requests waiting for a token, by namespace ("" for cluster-wide requests). */
  private final FairQueue<String, Waiting<?>> line = new FairQueue<>();
  /** A token is reserved and the timer will hand it to whoever is first in line then. */
  private boolean pumpScheduled;

  Throttle(TokenBucket bucket, HeraldMetrics metrics) {
    this.bucket = bucket;
    this.metrics = metrics;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "herald-kube-api-throttle");
      t.setDaemon(true);
      return t;
    });
  }

  /** A request in line: sent by {@link #pump}, unless it was cancelled (a request timeout) while waiting. */
  private record Waiting<T>(Supplier<CompletableFuture<T>> send, CompletableFuture<T> result, long since) {
    void go(HeraldMetrics metrics) {
      if (result.isDone()) {
        return;
      }
      metrics.kubeApiThrottled(Duration.ofNanos(System.nanoTime() - since));
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
    }
  }

  /** Sends now or once a token is due and its namespace's turn has come; watches and Lease requests are never held back. */
  <T> CompletableFuture<T> send(HttpRequest request, Supplier<CompletableFuture<T>> send) {
    if (ApiCall.isWatch(request.uri()) || ApiCall.isLeaderElection(request.uri())) {
      return send.get();
    }
    Waiting<T> waiting;
    synchronized (lock) {
      if (!pumpScheduled) {
        // nobody waits: the line is empty, and a token now goes to this request or is reserved for the line
        Duration wait = bucket.reserve();
        if (wait.isZero()) {
          waiting = null;
        } else {
          pumpScheduled = true;
          schedulePump(wait);
          waiting = queue(request, send);
        }
      } else {
        waiting = queue(request, send);
      }
    }
    if (waiting == null) {
      metrics.kubeApiThrottled(Duration.ZERO);
      return send.get();
    }
    return waiting.result();
  }

  private <T> Waiting<T> queue(HttpRequest request, Supplier<CompletableFuture<T>> send) {
    Waiting<T> waiting = new Waiting<>(send, new CompletableFuture<>(), System.nanoTime());
    line.add(ApiCall.namespaceOf(request.uri()), waiting);
    return waiting;
  }

  private void schedulePump(Duration wait) {
    try {
      timer.schedule(this::pump, wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed: the client is closing and nothing waiting will be sent
      pumpScheduled = false;
    }
  }

  /** The reserved token is due: sends whoever is first in line, and as many more as tokens allow. */
  private void pump() {
    List<Waiting<?>> go = new ArrayList<>();
    synchronized (lock) {
      Waiting<?> next = nextLive();
      if (next != null) {
        go.add(next);
      }
      while (true) {
        if (line.isEmpty()) {
          pumpScheduled = false;
          break;
        }
        Duration wait = bucket.reserve();
        if (!wait.isZero()) {
          schedulePump(wait);
          break;
        }
        Waiting<?> more = nextLive();
        if (more != null) {
          go.add(more);
        }
      }
    }
    for (Waiting<?> waiting : go) {
      waiting.go(metrics);
    }
  }

  /** The next request in line that still wants to be sent; null when none does. */
  private Waiting<?> nextLive() {
    for (Waiting<?> next = line.poll(); next != null; next = line.poll()) {
      if (!next.result().isDone()) {
        return next;
      }
    }
    return null;
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
