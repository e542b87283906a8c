package dev.herald.testing;

import dev.herald.egress.EgressPolicy;
import dev.herald.http.SenderOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The webhook receiver of every test and of the bench: a real Vert.x HTTP server on 127.0.0.1 that
 * records what arrives and answers in one of two ways.
 *
 * <ul>
 *   <li>Scripted ({@code new TestReceiver()}): a response per request from {@link #respondWith},
 *       else from {@link #thenRespond}'s script, else {@link #always}; hooks may block ({@link
 *       #beforeResponding}, {@link #holdUntil}) since they run on a worker thread, never on the
 *       event loop.
 *   <li>By hand ({@link #start(Vertx, HttpServerOptions, Consumer)}): the test writes the response
 *       itself (chunks, trickles, resets, never answers) on the server's own Vert.x, with TLS if
 *       the options say so.
 * </ul>
 *
 * <p>For the bench, {@link #withoutRecording} keeps only counts and first arrivals, so thousands of
 * requests cost no memory.
 */
public final class TestReceiver implements AutoCloseable {

  public record Response(int status, String body, Map<String, String> headers) {
    public static Response of(int status) {
      return new Response(status, "status " + status, Map.of());
    }

    public static Response of(int status, String body) {
      return new Response(status, body, Map.of());
    }
  }

  /** One request as it arrived: {@code at} is when its body was read. */
  public record Received(Instant at, String uri, MultiMap headers, Buffer body) {
    /** The path without the query. */
    public String path() {
      int q = uri.indexOf('?');
      return q < 0 ? uri : uri.substring(0, q);
    }

    public String header(String name) {
      return headers.get(name);
    }

    public String bodyText() {
      return body.toString(StandardCharsets.UTF_8);
    }

    /** The headers as the JDK (and the Standard Webhooks verifier) takes them. */
    public HttpHeaders httpHeaders() {
      Map<String, List<String>> map = new TreeMap<>();
      for (String name : headers.names()) {
        map.put(name.toLowerCase(Locale.ROOT), headers.getAll(name));
      }
      return HttpHeaders.of(map, (a, b) -> true);
    }
  }

  /**
   * One request from its arrival (body read) to the moment its response was written, or failed to
   * be.
   */
  public record Exchange(Received request, Instant end) {}

  /**
   * The Vert.x of scripted receivers: worker threads for hooks that block (a held POST each), so
   * many held requests never starve one another.
   */
  private static final class Shared {
    // a holder: receivers answered by hand (the bench's) never start these threads
    static final Vertx VERTX =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(64));
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final boolean tls;
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final Queue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
  private final Deque<Response> script = new ConcurrentLinkedDeque<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile boolean recording = true;
  private volatile Consumer<Received> beforeResponding = r -> {};
  private volatile Response fallback = Response.of(200, "ok");
  private volatile Function<Received, Response> responder = r -> null;
  private volatile CountDownLatch hold;

  /** Exactly the address receivers listen on; the default egress policy refuses all loopback. */
  public static final EgressPolicy LOOPBACK = EgressPolicy.builder().allow("127.0.0.1/32").build();

  /**
   * Sender options for these receivers: plain http on 127.0.0.1, both of which the defaults refuse
   * (as they must for URLs users type), so tests open exactly those.
   */
  public static SenderOptions localOptions() {
    return SenderOptions.defaults().withAllowPlainHttp(true).withEgressPolicy(LOOPBACK);
  }

  /** A scripted receiver over plain http; it answers 200 "ok" until told otherwise. */
  public TestReceiver() {
    this(Shared.VERTX, new HttpServerOptions(), null);
  }

  /** A scripted receiver with these server options (e.g. https from {@link TestCerts}). */
  public TestReceiver(HttpServerOptions options) {
    this(Shared.VERTX, options, null);
  }

  /**
   * A receiver whose test writes each response itself ({@code respond} runs on the event loop once
   * the request body is in and recorded).
   */
  public static TestReceiver start(
      Vertx vertx, HttpServerOptions options, Consumer<HttpServerRequest> respond) {
    return new TestReceiver(vertx, options, respond);
  }

  public static TestReceiver start(Vertx vertx, Consumer<HttpServerRequest> respond) {
    return start(vertx, new HttpServerOptions(), respond);
  }

  /** The bench's receiver: answers {@code status} at once, keeps no requests. */
  public static TestReceiver answering(Vertx vertx, int status) {
    return start(vertx, request -> request.response().setStatusCode(status).end())
        .withoutRecording();
  }

  /**
   * The bench's hanging receiver: reads each request to the end, then keeps the response open until
   * the client gives up.
   */
  public static TestReceiver hanging(Vertx vertx) {
    return start(vertx, request -> {}).withoutRecording();
  }

  private TestReceiver(Vertx vertx, HttpServerOptions options, Consumer<HttpServerRequest> byHand) {
    this.vertx = vertx;
    this.tls = options.isSsl();
    server = vertx.createHttpServer(new HttpServerOptions(options).setHost("127.0.0.1").setPort(0));
    server.connectionHandler(connection -> connections.incrementAndGet());
    server.requestHandler(
        request -> {
          long nanos = System.nanoTime();
          requests.incrementAndGet();
          String id = request.getHeader("webhook-id");
          if (id != null) {
            firstArrival.putIfAbsent(id, nanos);
          }
          request
              .body()
              .onSuccess(
                  body -> {
                    Received r =
                        new Received(Instant.now(), request.uri(), request.headers(), body);
                    if (recording) {
                      received.add(r);
                    }
                    if (byHand != null) {
                      byHand.accept(request);
                    } else {
                      answer(request, r);
                    }
                  });
        });
    await(server.listen());
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
  public TestReceiver respondWith(Function<Received, Response> chooser) {
    responder = chooser;
    return this;
  }

  public TestReceiver always(Response response) {
    fallback = response;
    return this;
  }

  /** Holds every request open until the latch opens (a hanging receiver), at most 30 s. */
  public TestReceiver holdUntil(CountDownLatch latch) {
    hold = latch;
    return this;
  }

  /**
   * Runs on a worker thread after the request is recorded and before the response is written: a
   * hook may block (hold the POST open) or sleep (slow receiver).
   */
  public TestReceiver beforeResponding(Consumer<Received> hook) {
    beforeResponding = hook;
    return this;
  }

  /** Keeps no requests ({@link #received} stays empty): counts and first arrivals only. */
  public TestReceiver withoutRecording() {
    recording = false;
    return this;
  }

  private void answer(HttpServerRequest request, Received r) {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    vertx
        .<Response>executeBlocking(
            () -> {
              beforeResponding.accept(r);
              CountDownLatch latch = hold;
              if (latch != null) {
                latch.await(30, TimeUnit.SECONDS);
              }
              Response response = responder.apply(r);
              if (response == null) {
                response = script.poll();
              }
              return response == null ? fallback : response;
            },
            false)
        .onComplete(
            ar -> {
              // Leave the count before the answer goes out: the sender frees its slot when the
              // answer arrives and may start its next request before the write completes here.
              inFlight.decrementAndGet();
              if (ar.failed()) {
                request.connection().close();
                exchanges.add(new Exchange(r, Instant.now()));
                return;
              }
              Response response = ar.result();
              response.headers().forEach((k, v) -> request.response().headers().add(k, v));
              int status = response.status();
              // 204 and 304 carry no body (RFC 9110), whatever the script says
              boolean bodyless = status == 204 || status == 304;
              request
                  .response()
                  .setStatusCode(status)
                  .end(bodyless ? "" : response.body())
                  .onComplete(done -> exchanges.add(new Exchange(r, Instant.now())));
            });
  }

  /** The most requests this receiver had open at once (scripted receivers). */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Requests whose handling has finished, with the time each response was written. */
  public List<Exchange> exchanges() {
    return new ArrayList<>(exchanges);
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  public List<Received> receivedOn(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Connections accepted, whether or not a request came over them. */
  public int connections() {
    return connections.get();
  }

  /** Requests that arrived (recorded or not), since the start or the last {@link #reset}. */
  public long requests() {
    return requests.get();
  }

  /** When a {@code webhook-id} first arrived (System.nanoTime), or null. */
  public Long arrival(String webhookId) {
    return firstArrival.get(webhookId);
  }

  /** Forgets counts and first arrivals (the bench between runs). */
  public void reset() {
    firstArrival.clear();
    requests.set(0);
  }

  public int port() {
    return server.actualPort();
  }

  public String url(String path) {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port() + path;
  }

  /** {@code /hooks} on this receiver. */
  public String url() {
    return url("/hooks");
  }

  @Override
  public void close() {
    await(server.close());
  }

  /** Bounded wait for a Vert.x future from the test thread. */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
