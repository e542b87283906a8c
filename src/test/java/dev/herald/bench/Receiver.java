package dev.herald.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook receiver on 127.0.0.1: answers 204 at once, or never answers ({@code hang}), or answers
 * 500 at once ({@link #failing}). Records when each {@code webhook-id} first arrived
 * (System.nanoTime, comparable with the bench's clock).
 */
final class Receiver implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();

  Receiver(Vertx vertx, boolean hang) {
    this(vertx, hang ? null : 204);
  }

  /** A receiver that fails every request at once with HTTP 500: every delivery to it retries. */
  static Receiver failing(Vertx vertx) {
    return new Receiver(vertx, 500);
  }

  /**
   * @param answer the status answered at once; null: never answers
   */
  private Receiver(Vertx vertx, Integer answer) {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  long now = System.nanoTime();
                  requests.incrementAndGet();
                  String id = request.getHeader("webhook-id");
                  if (id != null) {
                    firstArrival.putIfAbsent(id, now);
                  }
                  // the body is read to the end so the client sees a normal exchange; a hanging
                  // receiver
                  // reads it too, then keeps the response open until the client gives up
                  request
                      .body()
                      .onSuccess(
                          body -> {
                            if (answer != null) {
                              request.response().setStatusCode(answer).end();
                            }
                          });
                });
    try {
      server
          .listen(0, "127.0.0.1")
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the receiver", e);
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  int port() {
    return server.actualPort();
  }

  Long arrival(String webhookId) {
    return firstArrival.get(webhookId);
  }

  long requests() {
    return requests.get();
  }

  void reset() {
    firstArrival.clear();
    requests.set(0);
  }

  @Override
  public void close() {
    server.close();
  }
}
