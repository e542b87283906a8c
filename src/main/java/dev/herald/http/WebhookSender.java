package dev.herald.http;

import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.egress.Destination;
import dev.herald.egress.Egress;
import dev.herald.egress.Resolver;
import dev.herald.signing.WebhookSigner;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes one signed webhook POST and reports how it went.
 *
 * <p>Why the Vert.x core {@link HttpClient} and not {@code WebClient}: WebClient hands out the
 * response only after its body codec has consumed the whole body, and it never exposes the
 * underlying {@link HttpClientRequest}. A webhook receiver is untrusted, so this sender must (1)
 * stop reading a body after {@link SenderOptions#maxBodyBytes()} and close the connection while
 * still knowing the status line, and (2) enforce a total deadline by resetting the request from a
 * timer, since Vert.x's own request timeout is an idle timeout that a server trickling one byte at
 * a time never trips. Both need the request and response objects, which only the core client gives;
 * WebClient would add nothing on top of it for a single POST of bytes.
 *
 * <p>Egress without a DNS-rebinding window: the URL's host goes through {@link Egress#route}
 * (resolved once, every address checked against the {@link SenderOptions#egressPolicy()}), and the
 * request connects to the very address it returns ({@link RequestOptions#setServer} with a resolved
 * {@link InetSocketAddress}, which Vert.x connects to without a lookup of its own). The URL's host
 * stays the request's host, so the {@code Host} header, SNI and certificate hostname verification
 * are all for the name the user wrote, not for the address. Redirects are never followed (a
 * followed redirect would be a connection the policy never saw).
 *
 * <p>TLS material an endpoint chose ({@link TlsMaterial}: a client certificate, CAs to trust) lives
 * in Vert.x client options, so each distinct material gets a client of its own ({@link
 * TlsClients}): bounded in count, closed once evicted or unused and idle.
 *
 * <p>A forward proxy ({@link SenderOptions#proxy()}) changes only where the TCP connection goes:
 * both the proxy's host and the receiver's pass {@link Egress#route}, and the proxy is asked to
 * CONNECT to the receiver's checked address, not to its name, so it cannot reach what the policy
 * refuses; TLS inside the tunnel is still for the receiver's name. Plain http is never proxied (a
 * forwarding proxy would resolve the name itself).
 */
public final class WebhookSender implements AutoCloseable {
  /**
   * The response header by which a receiver says "do not retry this message" (Svix's convention),
   * honoured on failing answers only: a 2xx with it is a success.
   */
  static final String ABORT_HEADER = "webhook-delivery";

  static final String ABORT_VALUE = "abort-message";

  private static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** How much of a redirect's Location goes into the message. */
  private static final int MAX_LOCATION_IN_MESSAGE = 200;

  private static final String PLAIN_HTTP_NOT_PROXIED =
      "plain http is not sent through the proxy (it would resolve the receiver's name itself, past"
          + " the egress policy); use https, or spec.bypassProxy for a receiver reached directly";

  private static final String PLAIN_HTTP_REFUSED =
      "plain http is not allowed; use https (or start the operator with --allow-plain-http)";

  private final Vertx vertx;
  private final SenderOptions options;
  private final Egress egress;
  private final HttpClient client;
  private final OAuth2Tokens tokens;
  private final TlsClients tlsClients;

  /** Resolves names with the Vert.x instance's own resolver ({@link Resolver#of}). */
  public WebhookSender(Vertx vertx, SenderOptions options) {
    this(vertx, options, Resolver.of(vertx));
  }

  public WebhookSender(Vertx vertx, SenderOptions options, Resolver resolver) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.egress = new Egress(options.egressPolicy(), Objects.requireNonNull(resolver, "resolver"));
    HttpClientOptions http =
        new HttpClientOptions()
            // HTTP/1.1 only: a reset closes exactly this attempt's connection, nothing shared.
            .setProtocolVersion(HttpVersion.HTTP_1_1)
            .setEnabledSecureTransportProtocols(TLS_PROTOCOLS)
            .setVerifyHost(true)
            .setTrustAll(false)
            // SNI so receivers behind shared ingress controllers present the right certificate.
            .setForceSni(true)
            // Excerpts must show what the receiver sent; we never ask for compression anyway.
            .setDecompressionSupported(false)
            // Many receivers (Node's default is 5 s) drop idle connections quickly; reusing one
            // the server is closing fails the attempt for nothing, so give them up first.
            .setKeepAliveTimeout(4);
    if (options.trustOptions() != null) {
      http.setTrustOptions(options.trustOptions());
    }
    this.client = build(vertx, http);
    this.tlsClients =
        new TlsClients(
            material -> {
              HttpClientOptions own = new HttpClientOptions(http);
              if (material.trustOptions() != null) {
                own.setTrustOptions(material.trustOptions());
              }
              if (material.keyCertOptions() != null) {
                own.setKeyCertOptions(material.keyCertOptions());
              }
              return build(vertx, own);
            });
    this.tokens = new OAuth2Tokens(this::exchange, Clock.systemUTC(), options.excerptBytes());
  }

  private static HttpClient build(Vertx vertx, HttpClientOptions http) {
    return vertx
        .httpClientBuilder()
        .with(http)
        // Attempts to one busy receiver should not queue behind each other inside their
        // deadline.
        .with(new PoolOptions().setHttp1MaxSize(20))
        // Never follow, even if a request asked to: the policy only saw the first address.
        .withRedirectHandler(response -> null)
        .build();
  }

  /**
   * Added to a request's timeout by {@link #sendBounded}: a send still open after that will never
   * complete (a bug), and the caller gives up on it rather than wait forever.
   */
  public static final Duration LOST_RESPONSE_GRACE = Duration.ofSeconds(30);

  /**
   * {@link #send}, completed exceptionally with a {@link TimeoutException} if no result came {@link
   * #LOST_RESPONSE_GRACE} after the request's own timeout.
   */
  public CompletableFuture<AttemptResult> sendBounded(WebhookRequest request) {
    return send(request)
        .toCompletableFuture()
        .orTimeout(bound(request).toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * What an attempt whose send never completed within {@link #bound} counts as: a Timeout (a bug in
   * the sender; the caller sends the attempt again or records it as failed).
   */
  public static AttemptResult lost(WebhookRequest request) {
    Duration bound = bound(request);
    return new AttemptResult(
        request.url(),
        null,
        ErrorClass.Timeout,
        "no outcome within " + bound,
        null,
        bound.toMillis(),
        null);
  }

  /** How long {@link #sendBounded} waits for {@code request}. */
  public static Duration bound(WebhookRequest request) {
    return request.timeout().plus(LOST_RESPONSE_GRACE);
  }

  /**
   * Sends the request. The stage never completes exceptionally: every failure, including bad input
   * found on the way, becomes an {@link AttemptResult} with an {@link ErrorClass}. It completes on
   * a Vert.x event-loop thread, so callers chain blocking work with the {@code *Async} variants.
   */
  public CompletionStage<AttemptResult> send(WebhookRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.oauth2() == null) {
      return exchange(webhook(request, null, request.timeout().toMillis()));
    }
    return withToken(request, System.nanoTime());
  }

  /**
   * An OAuth2 attempt: the token (cached, or asked for now), then the POST with it; a cached token
   * the receiver answers 401 to is replaced once and the POST sent again, with the same webhook-id
   * and signature. Token request and POSTs share the attempt's timeout.
   */
  private CompletableFuture<AttemptResult> withToken(WebhookRequest request, long startNanos) {
    OAuth2Grant grant = request.oauth2();
    return tokens
        .token(grant, remainingMs(request, startNanos), request.transport())
        .thenCompose(
            token ->
                exchange(webhook(request, token.value(), remainingMs(request, startNanos)))
                    .thenCompose(
                        result -> {
                          if (token.fetched()
                              || result.statusCode() == null
                              || result.statusCode() != 401) {
                            return CompletableFuture.completedFuture(result);
                          }
                          tokens.invalidate(grant, token);
                          return tokens
                              .token(grant, remainingMs(request, startNanos), request.transport())
                              .thenCompose(
                                  fresh ->
                                      exchange(
                                          webhook(
                                              request,
                                              fresh.value(),
                                              remainingMs(request, startNanos))))
                              .thenApply(
                                  again ->
                                      withMessage(
                                          again,
                                          again.message()
                                              + " (with a new OAuth2 token: the cached one was"
                                              + " answered HTTP 401)"));
                        }))
        .exceptionally(error -> tokenFailure(request, error, startNanos));
  }

  private AttemptResult tokenFailure(WebhookRequest request, Throwable error, long startNanos) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
    if (cause instanceof OAuth2Tokens.TokenRequestException failed) {
      AttemptResult r = failed.result();
      return new AttemptResult(
          request.url(), null, r.errorClass(), r.message(), r.responseExcerpt(), elapsed, null);
    }
    // Only the class name: exception texts from arbitrary code may quote header values.
    return new AttemptResult(
        request.url(),
        null,
        ErrorClass.TokenRequestFailed,
        "internal error while getting an OAuth2 token: " + cause.getClass().getSimpleName(),
        null,
        elapsed,
        null);
  }

  private static AttemptResult withMessage(AttemptResult r, String message) {
    return new AttemptResult(
        r.url(),
        r.statusCode(),
        r.errorClass(),
        ErrorClassifier.truncate(message),
        r.responseExcerpt(),
        r.durationMs(),
        r.retryAfter(),
        r.tlsVersion(),
        r.tlsCipher(),
        r.hint());
  }

  private static long remainingMs(WebhookRequest request, long startNanos) {
    long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
    return Math.max(1, request.timeout().toMillis() - elapsed);
  }

  /** The webhook POST of {@code request}, with {@code bearer} as its Authorization if not null. */
  private Exchange webhook(WebhookRequest request, String bearer, long timeoutMs) {
    // Sign the very array that is sent: a caller mutating its array later cannot desync them.
    byte[] bytes = request.body().clone();
    return new Exchange(
        request.url(),
        bytes,
        headers(request, bytes, bearer),
        timeoutMs,
        options.excerptBytes(),
        request.transport());
  }

  private MultiMap headers(WebhookRequest request, byte[] bytes, String bearer) {
    long timestamp = request.attemptTime().getEpochSecond();
    MultiMap headers = HttpHeaders.headers();
    // Extra headers go in first and ours are set after, so even a name the reserved list
    // missed could not displace the signature headers.
    for (Map.Entry<String, String> header : request.extraHeaders().entrySet()) {
      if (sendable(header.getKey(), header.getValue())) {
        headers.add(header.getKey(), header.getValue());
      }
    }
    if (bearer != null) {
      headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
    }
    if (request.trace() != null) {
      // both or neither of ours: an endpoint's static tracestate must not ride on our traceparent
      headers.remove(TraceHeaders.TRACESTATE);
      headers.set(TraceHeaders.TRACEPARENT, request.trace().traceparent());
      if (request.trace().tracestate() != null) {
        headers.set(TraceHeaders.TRACESTATE, request.trace().tracestate());
      }
    }
    headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
    headers.set(HttpHeaders.USER_AGENT, options.userAgent());
    headers.set("webhook-id", request.webhookId());
    headers.set("webhook-timestamp", Long.toString(timestamp));
    headers.set("webhook-event-type", request.eventType());
    headers.set(
        "webhook-signature",
        WebhookSigner.sign(request.webhookId(), timestamp, bytes, request.keys()));
    return headers;
  }

  /** Makes one POST; the future never completes exceptionally (see {@link #send}). */
  CompletableFuture<AttemptResult> exchange(Exchange exchange) {
    // One context for the whole attempt: the deadline timer and the I/O callbacks then run on
    // the same thread one after another and never race over the attempt's state.
    Context context = vertx.getOrCreateContext();
    Attempt attempt = new Attempt(exchange, context);
    context.runOnContext(v -> attempt.guard(attempt::start));
    return attempt.result;
  }

  /** The egress path of this sender: whatever else Herald connects to goes the same way. */
  public Egress egress() {
    return egress;
  }

  @Override
  public void close() {
    tlsClients.close();
    client.close();
  }

  /** Clients made for endpoints' TLS material that are open now (for tests of the bound). */
  int tlsClientCount() {
    return tlsClients.size();
  }

  private final class Attempt {
    final Exchange request;
    final Context context;
    final CompletableFuture<AttemptResult> result = new CompletableFuture<>();
    final long startNanos = System.nanoTime();
    final long timeoutMs;
    long timerId = -1;
    HttpClientRequest httpRequest;
    Integer headStatus;
    BoundedBody body;
    String tlsVersion;
    String tlsCipher;

    /** Whether the connection goes to the proxy: then a refused connection is the proxy's. */
    boolean viaProxy;

    /** The client of the request's TLS material, released when the attempt ends. */
    TlsClients.Lease lease;

    Attempt(Exchange request, Context context) {
      this.request = request;
      this.context = context;
      this.timeoutMs = Math.max(1, request.timeoutMs());
    }

    void start() {
      // Java 17 has no pattern switch; the two cases of the sealed Destination, in order.
      Destination destination = Destination.of(request.url());
      if (destination instanceof Destination.Invalid invalid) {
        finish(ErrorClass.Blocked, null, invalid.reason(), null);
        return;
      }
      Destination.Target target = (Destination.Target) destination;
      if (target.plainHttp() && !options.allowPlainHttp()) {
        finish(ErrorClass.Blocked, null, PLAIN_HTTP_REFUSED, null);
        return;
      }
      ProxySettings proxy = request.transport().bypassProxy() ? null : options.proxy();
      if (proxy != null && target.plainHttp()) {
        finish(ErrorClass.Blocked, null, PLAIN_HTTP_NOT_PROXIED, null);
        return;
      }
      // The deadline covers the lookup too: a resolver that hangs is the receiver's problem.
      timerId = vertx.setTimer(timeoutMs, id -> guard(this::onDeadline));
      if (proxy == null) {
        route(target, null);
        return;
      }
      viaProxy = true;
      egress
          .route(proxy.host())
          .onComplete(
              ar -> context.runOnContext(v -> guard(() -> onProxyRouted(target, proxy, ar))));
    }

    private void onProxyRouted(
        Destination.Target target, ProxySettings proxy, AsyncResult<InetAddress> ar) {
      if (result.isDone()) {
        return;
      }
      if (ar.failed()) {
        String why =
            ar.cause() instanceof Egress.RefusedException refused
                ? refused.getMessage()
                : "lookup failed: " + ErrorClassifier.text(ar.cause());
        finish(
            ar.cause() instanceof Egress.RefusedException
                ? ErrorClass.Blocked
                : ErrorClass.ProxyError,
            null,
            ErrorClassifier.truncate("proxy " + proxy.host() + ": " + why),
            null);
        return;
      }
      ProxyOptions proxyOptions =
          new ProxyOptions()
              .setType(ProxyType.HTTP)
              // the checked address: Vert.x then connects there without a lookup of its own
              .setHost(ar.result().getHostAddress())
              .setPort(proxy.port());
      proxy
          .credentials()
          .get()
          .ifPresent(c -> proxyOptions.setUsername(c.username()).setPassword(c.password()));
      route(target, proxyOptions);
    }

    private void route(Destination.Target target, ProxyOptions proxy) {
      Future<InetAddress> route = egress.route(target.host());
      route.onComplete(ar -> context.runOnContext(v -> guard(() -> onRouted(target, proxy, ar))));
    }

    private void onRouted(
        Destination.Target target, ProxyOptions proxy, AsyncResult<InetAddress> ar) {
      if (result.isDone()) {
        return;
      }
      if (ar.failed() && ar.cause() instanceof Egress.RefusedException refused) {
        finish(ErrorClass.Blocked, null, ErrorClassifier.truncate(refused.getMessage()), null);
        return;
      }
      if (ar.failed()) {
        ErrorClassifier.Classified classified = ErrorClassifier.classify(ar.cause());
        String message =
            classified.errorClass() == ErrorClass.DnsFailure
                ? classified.message()
                : "DNS lookup failed: " + ErrorClassifier.text(ar.cause());
        finish(ErrorClass.DnsFailure, null, message, null);
        return;
      }
      connect(target, ar.result(), proxy);
    }

    /** Connects to the address the policy checked, which is then the only one ever used. */
    private void connect(Destination.Target target, InetAddress address, ProxyOptions proxy) {
      byte[] bytes = request.body();
      // The address carries no name (Egress#route): Vert.x then sees a resolved address it has
      // no reason to look up again, and pools connections per address, never sharing one across
      // addresses.
      RequestOptions requestOptions =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              // Sets host (Host header, SNI, hostname verification), port, TLS and path.
              .setAbsoluteURI(request.url())
              // Where the TCP connection goes: the address just checked, not a fresh lookup.
              .setServer(
                  SocketAddress.inetSocketAddress(new InetSocketAddress(address, target.port())))
              .setFollowRedirects(false)
              .setConnectTimeout(timeoutMs)
              .setHeaders(request.headers());
      if (proxy != null) {
        // CONNECT to the address above (an IP literal), never to the name
        requestOptions.setProxyOptions(proxy);
      }
      HttpClient through = client;
      if (request.transport().tls() != null) {
        lease = tlsClients.lease(request.transport().tls());
        through = lease.client();
      }
      through.request(requestOptions).onComplete(ar -> guard(() -> onConnected(ar, bytes)));
    }

    private void onConnected(AsyncResult<HttpClientRequest> ar, byte[] bytes) {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      HttpClientRequest req = ar.result();
      if (result.isDone()) {
        // The deadline passed while connecting; do not send a request nobody waits for.
        req.reset();
        return;
      }
      httpRequest = req;
      if (req.connection() != null && req.connection().sslSession() != null) {
        tlsVersion = req.connection().sslSession().getProtocol();
        tlsCipher = req.connection().sslSession().getCipherSuite();
      }
      req.send(Buffer.buffer(bytes)).onComplete(response -> guard(() -> onResponse(response)));
    }

    private void onResponse(AsyncResult<HttpClientResponse> ar) {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      if (result.isDone()) {
        return;
      }
      HttpClientResponse response = ar.result();
      headStatus = response.statusCode();
      BoundedBody bounded = new BoundedBody(request.excerptBytes(), options.maxBodyBytes());
      body = bounded;
      response.handler(
          chunk ->
              guard(
                  () -> {
                    if (result.isDone()) {
                      return;
                    }
                    if (!bounded.add(chunk)) {
                      finishWithResponse(response, bounded, true);
                      // Closing is the only way to stop an HTTP/1.1 body short of its end.
                      response.request().reset();
                    }
                  }));
      response.endHandler(v -> guard(() -> finishWithResponse(response, bounded, false)));
      // The status line already arrived: a body cut short does not change the receiver's answer.
      response.exceptionHandler(err -> guard(() -> finishWithResponse(response, bounded, false)));
    }

    private void onDeadline() {
      if (result.isDone()) {
        return;
      }
      String message =
          headStatus == null
              ? "no response within " + timeoutMs + " ms"
              : "response (HTTP " + headStatus + ") not complete within " + timeoutMs + " ms";
      finish(ErrorClass.Timeout, null, message, body == null ? null : body.excerpt());
      if (httpRequest != null) {
        httpRequest.reset(0, new TimeoutException(message));
      }
    }

    private void finishWithResponse(HttpClientResponse response, BoundedBody bounded, boolean cut) {
      if (result.isDone()) {
        return;
      }
      int status = response.statusCode();
      ErrorClass errorClass;
      String message;
      if (status >= 200 && status < 300) {
        errorClass = null;
        message = "HTTP " + status;
      } else if (status < 200) {
        // Vert.x consumes 100-continue itself; another 1xx as a final answer is a broken peer.
        errorClass = ErrorClass.ConnectionFailed;
        message = "unexpected informational HTTP " + status;
      } else {
        errorClass = ErrorClass.ofStatus(status);
        message = "HTTP " + status;
        if (ABORT_VALUE.equalsIgnoreCase(
            Objects.requireNonNullElse(response.getHeader(ABORT_HEADER), "").strip())) {
          errorClass = ErrorClass.Aborted;
          message += " with " + ABORT_HEADER + ": " + ABORT_VALUE + " (no further retry)";
        }
      }
      if (errorClass == ErrorClass.Redirect) {
        String location = response.getHeader(HttpHeaders.LOCATION);
        message +=
            location == null
                ? " redirect (redirects are not followed)"
                : " redirect to "
                    + truncate(location, MAX_LOCATION_IN_MESSAGE)
                    + " (redirects are not followed)";
      }
      if (cut) {
        message += " (body over " + options.maxBodyBytes() + " bytes, not read to the end)";
      }
      AttemptResult attempt =
          new AttemptResult(
              request.url(),
              status,
              errorClass,
              message,
              bounded.excerpt(),
              elapsedMs(),
              status == 429 || status == 503 ? retryAfter(response) : null,
              tlsVersion,
              tlsCipher,
              null);
      complete(attempt);
    }

    private java.time.Duration retryAfter(HttpClientResponse response) {
      // An HTTP-date is in the receiver's clock; measuring it from its own Date header cancels
      // any skew between its clock and ours.
      Instant now = Instant.now();
      String date = response.getHeader(HttpHeaders.DATE);
      if (date != null) {
        try {
          now = ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
          // keep our clock
        }
      }
      return RetryAfter.parse(response.getHeader(HttpHeaders.RETRY_AFTER), now).orElse(null);
    }

    private void fail(Throwable failure) {
      if (result.isDone()) {
        return;
      }
      ErrorClassifier.Classified classified = ErrorClassifier.classify(failure, viaProxy);
      finish(classified.errorClass(), null, classified.message(), null, classified.hint());
    }

    private void finish(ErrorClass errorClass, Integer status, String message, String excerpt) {
      finish(errorClass, status, message, excerpt, null);
    }

    /** {@code hint}: a sharper one than the class's, or null for the class's own. */
    private void finish(
        ErrorClass errorClass, Integer status, String message, String excerpt, String hint) {
      complete(
          new AttemptResult(
              request.url(),
              status,
              errorClass,
              message,
              excerpt,
              elapsedMs(),
              null,
              tlsVersion,
              tlsCipher,
              hint));
    }

    private void complete(AttemptResult attempt) {
      if (result.complete(attempt)) {
        if (timerId >= 0) {
          vertx.cancelTimer(timerId);
        }
        if (lease != null) {
          lease.release();
        }
      }
    }

    /**
     * Runs a step so that nothing it throws can leave the stage incomplete: a caller waiting on an
     * attempt that never ends would stall its delivery forever.
     */
    void guard(Runnable step) {
      try {
        step.run();
      } catch (RuntimeException | Error e) {
        if (!result.isDone()) {
          // Only the class name: exception texts from arbitrary code may quote header values.
          finish(
              ErrorClass.ConnectionFailed,
              null,
              "internal error while sending: " + e.getClass().getSimpleName(),
              null);
        }
        if (httpRequest != null) {
          httpRequest.reset();
        }
      }
    }

    private long elapsedMs() {
      return (System.nanoTime() - startNanos) / 1_000_000;
    }
  }

  /**
   * A header Vert.x would reject (and whose rejection message would quote the value, possibly a
   * token) is left out; endpoint validation (InvalidSpec) keeps such an endpoint from sending at
   * all.
   */
  private static boolean sendable(String name, String value) {
    return HeaderRules.problem(name, value).isEmpty();
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
