package dev.herald.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Liveness ({@code /healthz}) and readiness ({@code /readyz}) for the kubelet, and metrics. Live
 * once the operator started; ready when every informer is healthy (a standby replica that is not
 * the leader is live and ready: it has nothing to watch yet).
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  public HealthServer(int port, Supplier<RuntimeInfo> runtime) {
    this(port, runtime, () -> "");
  }

  /** Also serves {@code /metrics} (Prometheus text format) from {@code metrics}. */
  public HealthServer(int port, Supplier<RuntimeInfo> runtime, Supplier<String> metrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for health checks on port " + port, e);
    }
    server.createContext(
        "/healthz", ex -> answer(ex, runtime.get() != null && runtime.get().isStarted()));
    server.createContext(
        "/readyz",
        ex -> {
          RuntimeInfo info = runtime.get();
          answer(ex, info != null && info.isStarted() && info.allEventSourcesAreHealthy());
        });
    server.createContext(
        "/metrics",
        ex -> {
          byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, boolean ok) throws IOException {
    byte[] body = (ok ? "ok\n" : "not ready\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
