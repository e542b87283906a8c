package dev.herald.e2e;

import io.fabric8.kubernetes.client.Config;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A reverse proxy between the operator and the real API server that injects API faults: the
 * operator speaks plain HTTP to 127.0.0.1 (see {@link #kubeconfig()}), the proxy forwards over
 * HTTPS with the suite kubeconfig's client certificate, streaming bodies both ways (long-lived
 * watch responses and WebSocket watches included). Rules decide per request whether to answer 409,
 * 429, 500 or 503 in the proxy's place, or to close the connection without an answer; a request no
 * rule fires on reaches the API server unchanged. Faults happen before anything is forwarded, so an
 * injected failure never hides a write the server applied.
 */
public final class FaultProxy implements AutoCloseable {

  /** What the proxy answers instead of the API server. */
  public enum Fault {
    CONFLICT(409, "Conflict"),
    TOO_MANY_REQUESTS(429, "TooManyRequests"),
    INTERNAL_ERROR(500, "InternalError"),
    UNAVAILABLE(503, "ServiceUnavailable"),
    /** The connection is closed with no response at all. */
    DROP(0, "");

    final int status;
    final String reason;

    Fault(int status, String reason) {
      this.status = status;
      this.reason = reason;
    }
  }

  /** What a rule sees of a request. */
  public record Request(String method, String path, String query) {
    public boolean isWatch() {
      return query != null && (query.contains("watch=true") || query.contains("watch=1"));
    }

    /**
     * A status write of one object of this plural resource: PATCH or PUT on {@code
     * .../<plural>/<name>/status}.
     */
    public boolean isStatusWrite(String plural, String name) {
      return (method.equals("PATCH") || method.equals("PUT"))
          && path.endsWith("/" + plural + "/" + name + "/status");
    }

    /** A PATCH of one object itself (labels, annotations, spec), not of its status. */
    public boolean isPatchOf(String plural, String name) {
      return method.equals("PATCH") && path.endsWith("/" + plural + "/" + name);
    }

    /** A GET of one object (not a list, not a watch). */
    public boolean isGetOf(String plural, String name) {
      return method.equals("GET") && !isWatch() && path.endsWith("/" + plural + "/" + name);
    }
  }

  /**
   * One request's fate: the fault injected (note: the rule), or the API server's status code (0
   * when the exchange broke).
   */
  public record Exchange(
      Instant at, Request request, Fault fault, int upstreamStatus, String note) {}

  /**
   * When to inject which fault. A rule fires for the first N requests it matches (in total or per
   * path), or with a probability drawn from the proxy's seeded Random; it never fires on a watch
   * unless {@link #includingWatches()} says so. With several faults one is drawn at random.
   */
  public static final class Rule {
    private final String name;
    private Predicate<Request> when = r -> true;
    private List<Fault> faults = List.of(Fault.INTERNAL_ERROR);
    private int firstN = -1;
    private boolean perPath;
    private double probability = -1;
    private boolean watches;
    private volatile boolean enabled = true;
    private final Map<String, Integer> fired = new ConcurrentHashMap<>();
    private final Map<Fault, AtomicLong> counts = new EnumMap<>(Fault.class);

    private Rule(String name) {
      this.name = name;
      for (Fault f : Fault.values()) {
        counts.put(f, new AtomicLong());
      }
    }

    public static Rule named(String name) {
      return new Rule(name);
    }

    public Rule when(Predicate<Request> predicate) {
      when = predicate;
      return this;
    }

    public Rule respond(Fault... choices) {
      faults = List.of(choices);
      return this;
    }

    /** Fires on the first n matching requests. */
    public Rule first(int n) {
      firstN = n;
      perPath = false;
      return this;
    }

    /** Fires on the first n matching requests of each path (e.g. each delivery's status). */
    public Rule firstPerPath(int n) {
      firstN = n;
      perPath = true;
      return this;
    }

    public Rule withProbability(double p) {
      probability = p;
      return this;
    }

    public Rule includingWatches() {
      watches = true;
      return this;
    }

    public void disable() {
      enabled = false;
    }

    public String name() {
      return name;
    }

    /** Faults this rule injected, by type. */
    public Map<Fault, Long> injected() {
      Map<Fault, Long> out = new EnumMap<>(Fault.class);
      counts.forEach(
          (f, n) -> {
            if (n.get() > 0) {
              out.put(f, n.get());
            }
          });
      return out;
    }

    public long injectedTotal() {
      return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Decides under the proxy's lock, so first-N counts and the Random sequence stay exact. */
    private Fault decide(Request request, Random random) {
      if (!enabled || (request.isWatch() && !watches) || !when.test(request)) {
        return null;
      }
      if (firstN >= 0) {
        String key = perPath ? request.path() : "";
        int n = fired.getOrDefault(key, 0);
        if (n >= firstN) {
          return null;
        }
        fired.put(key, n + 1);
      } else if (probability >= 0 && random.nextDouble() >= probability) {
        return null;
      }
      Fault fault = faults.size() == 1 ? faults.get(0) : faults.get(random.nextInt(faults.size()));
      counts.get(fault).incrementAndGet();
      return fault;
    }
  }

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "http2-settings");
  private static final Set<String> WEBSOCKET_HANDSHAKE =
      Set.of(
          "sec-websocket-key",
          "sec-websocket-version",
          "sec-websocket-extensions",
          "sec-websocket-accept",
          "sec-websocket-protocol");
  private static final int MAX_WEBSOCKET_MESSAGE = 64 * 1024 * 1024;

  private final Vertx vertx;
  private final HttpClient upstream;
  private final WebSocketClient upstreamWebSockets;
  private final HttpServer server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final Path kubeconfig;
  private final Random random;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> forwarded = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Exchange> exchanges = new ConcurrentLinkedQueue<>();

  /** The watches open through the proxy, each with what ends it. */
  private final Map<Object, OpenWatch> openWatches = new ConcurrentHashMap<>();

  private record OpenWatch(Request request, Runnable cut) {}

  /**
   * Starts a proxy to the API server of {@code upstreamKubeconfig} and writes a kubeconfig for it
   * (no credentials: the proxy holds them) to {@code proxyKubeconfig}.
   */
  public FaultProxy(Path upstreamKubeconfig, Path proxyKubeconfig, long seed) {
    this.random = new Random(seed);
    Config config;
    try {
      config = Config.fromKubeconfig(Files.readString(upstreamKubeconfig));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    URI master = URI.create(config.getMasterUrl());
    upstreamHost = master.getHost();
    upstreamPort = master.getPort() > 0 ? master.getPort() : 443;
    PemKeyCertOptions identity =
        new PemKeyCertOptions()
            .addCertValue(pem(config.getClientCertData(), config.getClientCertFile()))
            .addKeyValue(pem(config.getClientKeyData(), config.getClientKeyFile()));
    PemTrustOptions trust =
        new PemTrustOptions().addCertValue(pem(config.getCaCertData(), config.getCaCertFile()));

    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
    // Every watch holds a pooled connection for as long as it runs: the pool must outgrow them.
    upstream =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setKeyCertOptions(identity)
                .setTrustOptions(trust)
                .setDefaultHost(upstreamHost)
                .setDefaultPort(upstreamPort)
                .setKeepAlive(true)
                .setMaxPoolSize(200));
    upstreamWebSockets =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setSsl(true)
                .setKeyCertOptions(identity)
                .setTrustOptions(trust)
                .setMaxFrameSize(MAX_WEBSOCKET_MESSAGE)
                .setMaxMessageSize(MAX_WEBSOCKET_MESSAGE));
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setHttp2ClearTextEnabled(false)
                .setMaxWebSocketFrameSize(MAX_WEBSOCKET_MESSAGE)
                .setMaxWebSocketMessageSize(MAX_WEBSOCKET_MESSAGE));
    // the handshake handler answers the upgrade; the WebSocket it accepts is wired up there
    server
        .requestHandler(this::handle)
        .webSocketHandshakeHandler(this::handleWebSocket)
        .webSocketHandler(ws -> {});
    await(server.listen());

    this.kubeconfig = proxyKubeconfig;
    writeKubeconfig(proxyKubeconfig);
  }

  public FaultProxy addRule(Rule rule) {
    rules.add(rule);
    return this;
  }

  /** The kubeconfig the operator uses to reach the API server through this proxy. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public int port() {
    return server.actualPort();
  }

  /** Requests passed to the API server, by method ({@code GET watch} for watches). */
  public Map<String, Long> forwarded() {
    Map<String, Long> out = new TreeMap<>();
    forwarded.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Faults injected by all rules, by type. */
  public Map<Fault, Long> injected() {
    Map<Fault, Long> out = new EnumMap<>(Fault.class);
    for (Rule rule : rules) {
      rule.injected().forEach((f, n) -> out.merge(f, n, Long::sum));
    }
    return out;
  }

  public long injectedTotal() {
    return rules.stream().mapToLong(Rule::injectedTotal).sum();
  }

  /** Every request so far, faulted or forwarded (forwarded ones once their response ended). */
  public List<Exchange> exchanges() {
    return new ArrayList<>(exchanges);
  }

  /** One line for test output: faults per rule and type, forwarded requests per method. */
  public String summary() {
    StringBuilder sb = new StringBuilder("faults");
    for (Rule rule : rules) {
      sb.append(' ').append(rule.name()).append('=').append(rule.injected());
    }
    return sb.append(", forwarded ").append(forwarded()).toString();
  }

  private record Decision(Rule rule, Fault fault) {}

  /** The first rule that fires decides; null forwards the request. */
  private Decision decide(Request request) {
    synchronized (random) {
      for (Rule rule : rules) {
        Fault fault = rule.decide(request, random);
        if (fault != null) {
          return new Decision(rule, fault);
        }
      }
    }
    return null;
  }

  private void handle(HttpServerRequest req) {
    try {
      forward(req);
    } catch (RuntimeException e) {
      // a bug in the proxy must show as a failed request, not as a request that hangs
      badGateway(req, new Request(req.method().name(), req.path(), req.query()), e);
    }
  }

  private void forward(HttpServerRequest req) {
    Request request = new Request(req.method().name(), req.path(), req.query());
    Decision decision = decide(request);
    if (decision != null) {
      exchanges.add(
          new Exchange(Instant.now(), request, decision.fault(), 0, decision.rule().name()));
      inject(req, decision.fault(), request);
      return;
    }
    req.pause();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    copyHeaders(req.headers(), headers, Set.of());
    RequestOptions options =
        new RequestOptions()
            .setMethod(req.method())
            .setURI(req.uri())
            .setHost(upstreamHost)
            .setPort(upstreamPort)
            .setHeaders(headers);
    upstream
        .request(options)
        .onComplete(
            created -> {
              if (created.failed()) {
                badGateway(req, request, created.cause());
                return;
              }
              HttpClientRequest out = created.result();
              // the operator hung up (e.g. closed a watch): close the upstream exchange too
              req.connection().closeHandler(v -> out.reset());
              boolean hasBody =
                  req.headers().contains("content-length")
                      || req.headers().contains("transfer-encoding");
              Future<HttpClientResponse> sent;
              if (hasBody) {
                sent = out.send(req);
              } else {
                // no body: a streamed send would turn a plain GET into a chunked one
                req.resume();
                sent = out.send();
              }
              sent.onComplete(
                  answered -> {
                    if (answered.failed()) {
                      badGateway(req, request, answered.cause());
                      return;
                    }
                    relay(req, request, answered.result());
                  });
            });
  }

  private void relay(HttpServerRequest req, Request request, HttpClientResponse in) {
    forwarded
        .computeIfAbsent(
            request.method() + (request.isWatch() ? " watch" : ""), k -> new AtomicLong())
        .incrementAndGet();
    HttpServerResponse out = req.response();
    out.setStatusCode(in.statusCode()).setStatusMessage(in.statusMessage());
    copyHeaders(in.headers(), out.headers(), Set.of());
    boolean bodyless =
        in.statusCode() == 204 || in.statusCode() == 304 || request.method().equals("HEAD");
    if (!bodyless && in.getHeader("content-length") == null) {
      out.setChunked(true);
    }
    Object watch = new Object();
    if (request.isWatch()) {
      exchanges.add(new Exchange(Instant.now(), request, null, in.statusCode(), null));
      openWatches.put(watch, new OpenWatch(request, () -> req.connection().close()));
    }
    in.pipeTo(out)
        .onComplete(
            done -> {
              openWatches.remove(watch);
              if (!request.isWatch()) {
                exchanges.add(
                    new Exchange(
                        Instant.now(),
                        request,
                        null,
                        done.succeeded() ? in.statusCode() : 0,
                        null));
              }
              if (done.failed()) {
                req.connection().close();
              }
            });
  }

  private void badGateway(HttpServerRequest req, Request request, Throwable cause) {
    exchanges.add(new Exchange(Instant.now(), request, null, 0, "upstream failed: " + cause));
    if (!req.response().headWritten()) {
      req.response().setStatusCode(502).end(cause.toString());
    } else {
      req.connection().close();
    }
  }

  /** Answers in the API server's place, after reading the request (keep-alive stays usable). */
  private void inject(HttpServerRequest req, Fault fault, Request request) {
    req.body()
        .onComplete(
            read -> {
              if (fault == Fault.DROP) {
                req.connection().close();
                return;
              }
              HttpServerResponse out =
                  req.response()
                      .setStatusCode(fault.status)
                      .putHeader("content-type", "application/json");
              if (fault == Fault.TOO_MANY_REQUESTS) {
                out.putHeader("Retry-After", "1");
              }
              out.end(statusJson(fault, request));
            });
  }

  /** A Kubernetes {@code Status} as the API server writes it for this failure. */
  private static String statusJson(Fault fault, Request request) {
    String[] segments = request.path().split("/");
    String name = "";
    String plural = "";
    for (int i = 0; i < segments.length - 1; i++) {
      if (segments[i].equals("namespaces") && i + 3 < segments.length) {
        plural = segments[i + 2];
        name = segments[i + 3];
      }
    }
    String message =
        switch (fault) {
          case CONFLICT ->
              "Operation cannot be fulfilled on "
                  + plural
                  + " \\\""
                  + name
                  + "\\\": the object has been modified; please apply your changes to the latest version and try again";
          case TOO_MANY_REQUESTS -> "Too many requests, please try again later.";
          case INTERNAL_ERROR -> "Internal error occurred: injected by the e2e fault proxy";
          default ->
              "the server is currently unable to handle the request (injected by the e2e fault proxy)";
        };
    String details =
        fault == Fault.TOO_MANY_REQUESTS
            ? "{\"retryAfterSeconds\":1}"
            : "{\"name\":\"" + name + "\",\"kind\":\"" + plural + "\"}";
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
        + message
        + "\",\"reason\":\""
        + fault.reason
        + "\",\"details\":"
        + details
        + ",\"code\":"
        + fault.status
        + "}";
  }

  /**
   * fabric8 watches over a WebSocket first; the proxy completes the handshake only once the API
   * server has.
   */
  private void handleWebSocket(ServerWebSocketHandshake handshake) {
    Request request = new Request("GET", handshake.path(), handshake.query());
    Decision decision = decide(request);
    if (decision != null) {
      exchanges.add(
          new Exchange(Instant.now(), request, decision.fault(), 0, decision.rule().name()));
      // a handshake cannot be dropped half-way through Vert.x's API: refused like an unavailable
      // server
      handshake.reject(decision.fault() == Fault.DROP ? 503 : decision.fault().status);
      return;
    }
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(upstreamHost)
            .setPort(upstreamPort)
            .setSsl(true)
            .setURI(handshake.uri());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    copyHeaders(handshake.headers(), headers, WEBSOCKET_HANDSHAKE);
    headers.forEach(options::addHeader);
    String protocols = handshake.headers().get("sec-websocket-protocol");
    if (protocols != null) {
      for (String p : protocols.split(",")) {
        options.addSubProtocol(p.trim());
      }
    }
    upstreamWebSockets
        .connect(options)
        .onComplete(
            connected -> {
              if (connected.failed()) {
                int status =
                    connected.cause() instanceof UpgradeRejectedException rejected
                        ? rejected.getStatus()
                        : 502;
                exchanges.add(new Exchange(Instant.now(), request, null, status, null));
                handshake.reject(status);
                return;
              }
              WebSocket up = connected.result();
              forwarded
                  .computeIfAbsent("GET watch (websocket)", k -> new AtomicLong())
                  .incrementAndGet();
              exchanges.add(new Exchange(Instant.now(), request, null, 101, null));
              handshake
                  .accept()
                  .onFailure(e -> up.close())
                  .onSuccess(
                      ws -> {
                        Object watch = new Object();
                        openWatches.put(
                            watch,
                            new OpenWatch(
                                request,
                                () -> {
                                  ws.close();
                                  up.close();
                                }));
                        up.closeHandler(
                            v -> {
                              openWatches.remove(watch);
                              ws.close();
                            });
                        up.textMessageHandler(ws::writeTextMessage);
                        up.binaryMessageHandler(ws::writeBinaryMessage);
                        ws.textMessageHandler(up::writeTextMessage);
                        ws.binaryMessageHandler(up::writeBinaryMessage);
                        ws.closeHandler(v -> up.close());
                        up.exceptionHandler(e -> ws.close());
                        ws.exceptionHandler(e -> up.close());
                      });
            });
  }

  private static void copyHeaders(MultiMap from, MultiMap to, Set<String> alsoSkip) {
    from.forEach(
        (k, v) -> {
          String key = k.toLowerCase(Locale.ROOT);
          if (!HOP_BY_HOP.contains(key) && !alsoSkip.contains(key)) {
            to.add(k, v);
          }
        });
  }

  private void writeKubeconfig(Path file) {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fault-proxy
          cluster:
            server: http://127.0.0.1:%d
        users:
        - name: fault-proxy
          user: {}
        contexts:
        - name: fault-proxy
          context:
            cluster: fault-proxy
            user: fault-proxy
        current-context: fault-proxy
        """
            .formatted(port());
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Ends the open watches this selects, as a lost connection would (the client watches again: a
   * rule that answers watches keeps it from catching up meanwhile).
   *
   * @return how many were ended
   */
  public int cutWatches(Predicate<Request> which) {
    int cut = 0;
    for (Map.Entry<Object, OpenWatch> w : openWatches.entrySet()) {
      if (which.test(w.getValue().request()) && openWatches.remove(w.getKey()) != null) {
        w.getValue().cut().run();
        cut++;
      }
    }
    return cut;
  }

  /** Kubeconfig credentials are inline base64 ({@code *-data}) or a file path. */
  private static Buffer pem(String base64Data, String file) {
    try {
      if (base64Data != null && !base64Data.isBlank()) {
        return Buffer.buffer(
            new String(Base64.getDecoder().decode(base64Data.trim()), StandardCharsets.UTF_8));
      }
      if (file != null) {
        return Buffer.buffer(Files.readString(Path.of(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException(
        "the kubeconfig has no client certificate, key or CA: the fault proxy needs all three");
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fault proxy: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      await(server.close());
    } finally {
      upstream.close();
      upstreamWebSockets.close();
      await(vertx.close());
    }
  }
}
