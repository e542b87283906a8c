package dev.herald.bench;

import dev.herald.testing.TestReceiver;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A receiver that tells POSTs apart by path and {@code webhook-id}: an event's POSTs all carry the
 * event's id, one per endpoint (each endpoint has its own path), so counting by id alone would
 * count an event to 50 endpoints once. It notes each key's first and second arrival, and can fail
 * the first attempt of every key (500) and accept the next ones (204), for deliveries that must go
 * through one retry.
 */
final class KeyedReceiver implements AutoCloseable {
  private final TestReceiver server;
  private final Map<String, Long> first = new ConcurrentHashMap<>();
  private final Map<String, Long> second = new ConcurrentHashMap<>();
  private final Map<String, Long> secondWallMillis = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong successes = new AtomicLong();

  private KeyedReceiver(Vertx vertx, boolean failFirst) {
    this.server =
        TestReceiver.start(
                vertx,
                request -> {
                  long nanos = System.nanoTime();
                  long wall = System.currentTimeMillis();
                  requests.incrementAndGet();
                  String key = key(request.path(), request.getHeader("webhook-id"));
                  boolean firstTime = first.putIfAbsent(key, nanos) == null;
                  if (!firstTime && second.putIfAbsent(key, nanos) == null) {
                    secondWallMillis.put(key, wall);
                  }
                  int status = failFirst && firstTime ? 500 : 204;
                  if (status == 204) {
                    successes.incrementAndGet();
                  }
                  request.response().setStatusCode(status).end();
                })
            .withoutRecording();
  }

  /** Answers 204 to everything. */
  static KeyedReceiver ok(Vertx vertx) {
    return new KeyedReceiver(vertx, false);
  }

  /** Answers 500 to the first POST of each path + webhook-id, 204 to the next ones. */
  static KeyedReceiver failingFirst(Vertx vertx) {
    return new KeyedReceiver(vertx, true);
  }

  static String key(String path, String webhookId) {
    return path + " " + webhookId;
  }

  String url(String path) {
    return server.url(path);
  }

  /** First arrival (System.nanoTime) of each key. */
  Map<String, Long> firstArrivals() {
    return first;
  }

  /** First arrival by webhook-id alone, for a receiver whose ids are unique across paths. */
  Long firstById(String path, String webhookId) {
    return first.get(key(path, webhookId));
  }

  /** Second arrival (System.nanoTime) of each key: the first retry. */
  Map<String, Long> secondArrivals() {
    return second;
  }

  /** Wall-clock millis of each key's second arrival, to compare with a status's RFC 3339 time. */
  Map<String, Long> secondArrivalWallMillis() {
    return secondWallMillis;
  }

  long requests() {
    return requests.get();
  }

  /** POSTs answered 204. */
  long successes() {
    return successes.get();
  }

  @Override
  public void close() {
    server.close();
  }
}
