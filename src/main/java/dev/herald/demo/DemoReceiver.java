package dev.herald.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiver of {@code herald demo} on 127.0.0.1: {@code /billing} answers 503 to the first
 * attempts of each webhook-id and then 200; {@code /legacy} answers 410 Gone.
 */
final class DemoReceiver implements AutoCloseable {
  private final HttpServer server;
  private final int failuresPerEvent;
  private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
  private final AtomicInteger received = new AtomicInteger();

  DemoReceiver(int failuresPerEvent) throws IOException {
    this.failuresPerEvent = failuresPerEvent;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/billing", this::billing);
    server.createContext("/legacy", ex -> answer(ex, 410, "this endpoint is gone for good"));
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int received() {
    return received.get();
  }

  private void billing(HttpExchange exchange) throws IOException {
    String id = exchange.getRequestHeaders().getFirst("webhook-id");
    int attempt =
        attemptsById
            .computeIfAbsent(String.valueOf(id), k -> new AtomicInteger())
            .incrementAndGet();
    if (attempt <= failuresPerEvent) {
      answer(exchange, 503, "{\"error\":\"billing database is restarting\"}");
    } else {
      answer(exchange, 200, "{\"received\":true}");
    }
  }

  private void answer(HttpExchange exchange, int status, String body) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
    }
    received.incrementAndGet();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
