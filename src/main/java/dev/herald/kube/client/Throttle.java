package dev.herald.kube.client;

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
 * Holds Kubernetes API requests back to the token bucket's rate, and optionally to a number of
 * requests open at once, without blocking any thread: a request that must wait joins a line and is
 * sent by a timer when a token is due, or when an open request completes. fabric8 calls the HTTP
 * client from reconcile threads, informer callbacks and its own scheduler (on the JDK client also
 * from the HttpClient's completion threads, on Vert.x from event loops); sleeping in any of them
 * but the first would stall unrelated work, so nobody sleeps.
 *
 * <p>The line is a {@link FairQueue} by namespace (from the request path): every namespace with
 * requests waiting gets its turn at the next token or free place, so a namespace whose thousand
 * retrying deliveries want more than the whole budget takes its share, not everyone's. The bound on
 * open requests matters when the API server, not the rate, is what is short: every request open at
 * the server lengthens the answer to all the others, so requests beyond it are better kept here, in
 * a fair line, than at the server, where one namespace's fifty writes stand in front of another's
 * one. Deletions take turns as one line of their own ({@link ApiCall#lineOf}).
 */
final class Throttle implements AutoCloseable {
  private final TokenBucket bucket;

  /** Requests open at once (watches and Leases aside); 0: no bound. */
  private final int maxInFlight;

  private final HeraldMetrics metrics;
  private final ScheduledExecutorService timer;
  private final Object lock = new Object();

  /**
   * Requests waiting for a token or a place, by namespace ("" for cluster-wide requests), and the
   * deletions' line.
   */
  private final FairQueue<String, Waiting<?>> line = new FairQueue<>();

  /** A token is reserved and the timer will hand it to whoever is first in line then. */
  private boolean pumpScheduled;

  private int inFlight;

  Throttle(TokenBucket bucket, HeraldMetrics metrics) {
    this(bucket, 0, metrics);
  }

  Throttle(TokenBucket bucket, int maxInFlight, HeraldMetrics metrics) {
    this.bucket = bucket;
    this.maxInFlight = Math.max(0, maxInFlight);
    this.metrics = metrics;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "herald-kube-api-throttle");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * A request in line: sent by {@link #pump}, unless it was cancelled (a request timeout) while
   * waiting.
   */
  private record Waiting<T>(
      Supplier<CompletableFuture<T>> send, CompletableFuture<T> result, long since) {}

  /**
   * Sends now or once a token is due and its namespace's turn has come; watches and Lease requests
   * are never held back.
   */
  <T> CompletableFuture<T> send(HttpRequest request, Supplier<CompletableFuture<T>> send) {
    if (ApiCall.isWatch(request.uri()) || ApiCall.isLeaderElection(request.uri())) {
      return send.get();
    }
    Waiting<T> waiting = new Waiting<>(send, new CompletableFuture<>(), System.nanoTime());
    boolean now = false;
    synchronized (lock) {
      if (line.isEmpty() && !pumpScheduled && hasPlace()) {
        // nobody waits: a token now goes to this request, or is reserved for the line
        Duration wait = bucket.reserve();
        if (wait.isZero()) {
          inFlight++;
          now = true;
        } else {
          pumpScheduled = true;
          schedulePump(wait);
        }
      }
      if (!now) {
        line.add(ApiCall.lineOf(request.method(), request.uri()), waiting);
      }
    }
    if (now) {
      go(waiting);
    }
    return waiting.result();
  }

  private boolean hasPlace() {
    return maxInFlight == 0 || inFlight < maxInFlight;
  }

  private void schedulePump(Duration wait) {
    try {
      timer.schedule(() -> pump(true), wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed: the client is closing and nothing waiting will be sent
      pumpScheduled = false;
    }
  }

  /**
   * Sends whoever is first in line, and as many more as tokens and places allow. {@code
   * tokenReserved}: called by the timer when the token reserved for the line is due; else a place
   * freed up.
   */
  private void pump(boolean tokenReserved) {
    List<Waiting<?>> go = new ArrayList<>();
    synchronized (lock) {
      if (tokenReserved) {
        pumpScheduled = false;
      } else if (pumpScheduled) {
        return; // a token is on its way: the timer sends then
      }
      boolean token = tokenReserved;
      while (!line.isEmpty() && hasPlace()) {
        if (!token) {
          Duration wait = bucket.reserve();
          if (!wait.isZero()) {
            pumpScheduled = true;
            schedulePump(wait);
            break;
          }
        }
        token = false;
        Waiting<?> next = nextLive();
        if (next == null) {
          break;
        }
        inFlight++;
        go.add(next);
      }
    }
    for (Waiting<?> waiting : go) {
      go(waiting);
    }
  }

  /**
   * Sends a request that holds a place (unless it was cancelled meanwhile); its completion frees
   * the place.
   */
  private <T> void go(Waiting<T> waiting) {
    CompletableFuture<T> result = waiting.result();
    if (result.isDone()) {
      released();
      return;
    }
    metrics.kubeApiThrottled(Duration.ofNanos(System.nanoTime() - waiting.since()));
    CompletableFuture<T> sent;
    try {
      sent = waiting.send().get();
    } catch (RuntimeException e) {
      released();
      result.completeExceptionally(e);
      return;
    }
    sent.whenComplete(
        (value, error) -> {
          released();
          if (error != null) {
            result.completeExceptionally(error);
          } else if (!result.complete(value)) {
            discard(value);
          }
        });
  }

  private void released() {
    synchronized (lock) {
      inFlight--;
    }
    if (maxInFlight > 0) {
      pump(false);
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
