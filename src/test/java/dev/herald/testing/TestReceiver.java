package dev.herald.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** A real HTTP receiver on 127.0.0.1 that records every request and answers from a script. */
public final class TestReceiver implements AutoCloseable {

  public record Response(int status, String body, Map<String, String> headers) {
    public static Response of(int status) {
      return new Response(status, "status " + status, Map.of());
    }

    public static Response of(int status, String body) {
      return new Response(status, body, Map.of());
    }
  }

  public record Received(Instant at, String path, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public HttpHeaders httpHeaders() {
      return HttpHeaders.of(headers, (a, b) -> true);
    }
  }

  /**
   * One request from its arrival (body read) to the moment its response was written, or failed to
   * be.
   */
  public record Exchange(Received request, Instant end) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private volatile Consumer<Received> beforeResponding = r -> {};
  private final Deque<Response> script = new ConcurrentLinkedDeque<>();
  private volatile Response fallback = Response.of(200, "ok");
  private volatile java.util.function.Function<Received, Response> responder = r -> null;
  private volatile java.util.concurrent.CountDownLatch hold;
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger maxInFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  public TestReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  /** Answers the next requests with these responses, in order, then with the fallback. */
  public TestReceiver thenRespond(Response... responses) {
    script.addAll(List.of(responses));
    return this;
  }

  /**
   * Chooses the response per request (e.g. per webhook-id); a null answer falls through to the
   * script and then the fallback.
   */
  public TestReceiver respondWith(java.util.function.Function<Received, Response> chooser) {
    responder = chooser;
    return this;
  }

  public TestReceiver always(Response response) {
    fallback = response;
    return this;
  }

  /** Holds every request open until the latch opens (a hanging receiver), at most 30 s. */
  public TestReceiver holdUntil(java.util.concurrent.CountDownLatch latch) {
    hold = latch;
    return this;
  }

  /** The most requests this receiver had open at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /**
   * Runs on the request's handler thread after the request is recorded and before the response is
   * written: a hook may block (hold the POST open) or sleep (slow receiver).
   */
  public TestReceiver beforeResponding(Consumer<Received> hook) {
    beforeResponding = hook;
    return this;
  }

  /** Requests whose handling has finished, with the time each response was written. */
  public List<Exchange> exchanges() {
    return new ArrayList<>(exchanges);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  public List<Received> receivedOn(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, List<String>> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    Received request =
        new Received(Instant.now(), exchange.getRequestURI().getPath(), headers, body);
    received.add(request);
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    boolean counted = true;
    try {
      beforeResponding.accept(request);
      if (hold != null) {
        hold.await(30, java.util.concurrent.TimeUnit.SECONDS);
      }
      Response response = responder.apply(request);
      if (response == null) {
        response = script.poll();
      }
      if (response == null) {
        response = fallback;
      }
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      // Leave the count before the answer goes out: the sender frees its slot when the answer
      // arrives and may start its next request before this thread gets past the write.
      inFlight.decrementAndGet();
      counted = false;
      byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (counted) {
        inFlight.decrementAndGet();
      }
      exchanges.add(new Exchange(request, Instant.now()));
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
