package dev.herald.http;

import static dev.herald.testing.TestReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import dev.herald.testing.TestReceiver;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSenderTest {
  @RegisterExtension static final SenderFixture fixture = SenderFixture.local();

  final String secret = SecretGenerator.generate();
  final List<AutoCloseable> servers = new ArrayList<>();

  @AfterEach
  void stopServers() throws Exception {
    for (AutoCloseable server : servers) {
      server.close();
    }
  }

  @Test
  void successIsSignedSoTheReferenceLibraryVerifiesItAndCarriesEveryHeader() throws Exception {
    TestReceiver receiver = receiver(200, "ok");
    Instant attemptTime = Instant.now();
    byte[] body = "{\"order\":42,\"note\":\"café\"}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("X-Team", "billing");
    // Neither may displace what the sender sets itself.
    extra.put("webhook-signature", "v1,Zm9yZ2VkIHNpZ25hdHVyZQ==");
    extra.put("Host", "attacker.invalid");
    extra.put("User-Agent", "curl/8");

    AttemptResult result =
        send(
            new WebhookRequest(
                receiver.url(),
                "msg_2kX9",
                "order.created",
                body,
                extra,
                List.of(SigningKey.parse(secret)),
                Duration.ofSeconds(5),
                attemptTime));

    assertThat(result.succeeded()).isTrue();
    assertThat(result.errorClass()).isNull();
    assertThat(result.statusCode()).isEqualTo(200);
    assertThat(result.message()).isEqualTo("HTTP 200");
    assertThat(result.responseExcerpt()).isEqualTo("ok");
    assertThat(result.retryAfter()).isNull();
    assertThat(result.url()).isEqualTo(receiver.url());

    assertThat(receiver.received()).hasSize(1);
    TestReceiver.Received got = receiver.received().get(0);
    MultiMap headers = got.headers();
    assertThat(got.body().getBytes()).isEqualTo(body);
    assertThat(headers.get("Content-Type")).isEqualTo("application/json");
    assertThat(headers.get("webhook-id")).isEqualTo("msg_2kX9");
    assertThat(headers.get("webhook-timestamp"))
        .isEqualTo(Long.toString(attemptTime.getEpochSecond()));
    assertThat(headers.get("webhook-event-type")).isEqualTo("order.created");
    assertThat(headers.getAll("User-Agent")).containsExactly("Herald/0.1");
    assertThat(headers.getAll("X-Team")).containsExactly("billing");
    assertThat(headers.getAll("Host")).containsExactly("127.0.0.1:" + receiver.port());
    assertThat(headers.getAll("webhook-signature")).hasSize(1);
    assertThat(headers.get("webhook-signature")).doesNotContain("Zm9yZ2Vk");
    // Throws if the signature does not match the bytes received.
    new Webhook(secret).verify(got.body().toString(StandardCharsets.UTF_8), jdkHeaders(headers));
    assertThat(result.message()).doesNotContain(secret.substring(6, 14));
  }

  @Test
  void duringRotationBothKeysSignAndEitherVerifies() throws Exception {
    TestReceiver receiver = receiver(204, null);
    String newSecret = SecretGenerator.generate();

    AttemptResult result =
        send(
            request(
                receiver.url(), List.of(SigningKey.parse(secret), SigningKey.parse(newSecret))));

    assertThat(result.succeeded()).isTrue();
    assertThat(result.responseExcerpt()).isNull();
    TestReceiver.Received got = receiver.received().get(0);
    assertThat(got.headers().get("webhook-signature").split(" "))
        .hasSize(2)
        .allMatch(s -> s.startsWith("v1,"));
    String payload = got.body().toString(StandardCharsets.UTF_8);
    new Webhook(secret).verify(payload, jdkHeaders(got.headers()));
    new Webhook(newSecret).verify(payload, jdkHeaders(got.headers()));
  }

  @Test
  void redirectIsAFailureAndIsNotFollowed() throws Exception {
    TestReceiver target = receiver(200, "moved here");
    TestReceiver redirecting =
        start(req -> req.response().setStatusCode(302).putHeader("Location", target.url()).end());

    AttemptResult result = send(request(redirecting.url()));

    assertThat(result.errorClass()).isEqualTo(ErrorClass.Redirect);
    assertThat(result.statusCode()).isEqualTo(302);
    assertThat(result.message()).contains("302").contains(target.url()).contains("not followed");
    assertThat(redirecting.received()).hasSize(1);
    assertThat(target.received()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void redirectToTheCloudMetadataServiceIsNeverFollowed(int status) throws Exception {
    String metadata = "http://169.254.169.254/latest/meta-data/iam/security-credentials/";
    TestReceiver redirecting =
        start(req -> req.response().setStatusCode(status).putHeader("Location", metadata).end());

    AttemptResult result = send(request(redirecting.url()));

    assertThat(result.errorClass()).isEqualTo(ErrorClass.Redirect);
    assertThat(result.statusCode()).isEqualTo(status);
    assertThat(result.message())
        .isEqualTo("HTTP " + status + " redirect to " + metadata + " (redirects are not followed)");
    assertThat(redirecting.received()).hasSize(1);
    assertThat(redirecting.connections()).isEqualTo(1);
  }

  @Test
  void gzipBombIsPassedOnAsBytesNeverInflated() throws Exception {
    // One gzip member of 1 MiB of 'A', about 1 KiB; 1024 of them back to back are one valid gzip
    // body (RFC 1952 section 2.2) of about 1 MiB that inflates to 1 GiB.
    byte[] member = gzip(1 << 20);
    int members = 1024;
    long total = (long) member.length * members;
    AtomicLong written = new AtomicLong();
    AtomicBoolean closed = new AtomicBoolean();
    TestReceiver receiver =
        start(
            req -> {
              HttpServerResponse response =
                  req.response()
                      .setStatusCode(500)
                      .putHeader("Content-Encoding", "gzip")
                      .putHeader("Content-Length", Long.toString(total));
              // The connection, not the response: the whole body may fit in the socket buffers.
              req.connection().closeHandler(v -> closed.set(true));
              pump(response, Buffer.buffer(member), written, total);
            });

    AttemptResult result = send(request(receiver.url(), Duration.ofSeconds(10)));

    assertThat(result.errorClass()).isEqualTo(ErrorClass.Http5xx);
    // The excerpt is the first 500 bytes as sent (gzip magic 1f 8b first), not inflated text.
    byte[] sent = Arrays.copyOf(member, SenderOptions.DEFAULT_EXCERPT_BYTES);
    assertThat(result.responseExcerpt())
        .isEqualTo(new String(sent, StandardCharsets.UTF_8))
        .startsWith("\u001f\uFFFD")
        .doesNotContain("AAAA")
        .hasSizeLessThanOrEqualTo(SenderOptions.DEFAULT_EXCERPT_BYTES);
    // Memory stays bounded: reading stopped at the body limit and the connection was closed.
    assertThat(result.message())
        .isEqualTo(
            "HTTP 500 (body over "
                + SenderOptions.DEFAULT_MAX_BODY_BYTES
                + " bytes, not read to the end)");
    await().atMost(5, TimeUnit.SECONDS).untilTrue(closed);
    // Nothing asked for compression in the first place.
    assertThat(receiver.received().get(0).headers().contains("Accept-Encoding")).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "400,Http4xx",
    "404,Http4xx",
    "410,Gone",
    "500,Http5xx",
    "502,Http5xx",
    "301,Redirect"
  })
  void statusCodesAreClassified(int status, ErrorClass expected) throws Exception {
    TestReceiver receiver = receiver(status, "nope");

    AttemptResult result = send(request(receiver.url()));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.errorClass()).isEqualTo(expected);
    assertThat(result.statusCode()).isEqualTo(status);
    assertThat(result.message()).startsWith("HTTP " + status);
    assertThat(result.responseExcerpt()).isEqualTo("nope");
    assertThat(result.retryAfter()).isNull();
  }

  @ParameterizedTest
  @CsvSource({"500,abort-message", "400,Abort-Message", "429, abort-message "})
  void aFailingAnswerWithTheAbortHeaderIsAborted(int status, String value) throws Exception {
    TestReceiver receiver =
        start(
            req ->
                req.response()
                    .setStatusCode(status)
                    .putHeader("webhook-delivery", value)
                    .end("no"));

    AttemptResult result = send(request(receiver.url()));

    assertThat(result.errorClass()).isEqualTo(ErrorClass.Aborted);
    assertThat(result.statusCode()).isEqualTo(status);
    assertThat(result.message())
        .isEqualTo("HTTP " + status + " with webhook-delivery: abort-message (no further retry)");
  }

  @Test
  void theAbortHeaderOnASuccessOrWithAnotherValueChangesNothing() throws Exception {
    TestReceiver ok =
        start(
            req ->
                req.response()
                    .setStatusCode(200)
                    .putHeader("webhook-delivery", "abort-message")
                    .end());
    TestReceiver other =
        start(
            req -> req.response().setStatusCode(503).putHeader("webhook-delivery", "retry").end());

    assertThat(send(request(ok.url())).succeeded()).isTrue();
    assertThat(send(request(other.url())).errorClass()).isEqualTo(ErrorClass.Http5xx);
  }

  @Test
  void serverErrorKeepsTheFirst500BytesOfALongerBody() throws Exception {
    String body = "0123456789".repeat(300); // 3000 bytes
    TestReceiver receiver = receiver(500, body);

    AttemptResult result = send(request(receiver.url()));

    assertThat(result.errorClass()).isEqualTo(ErrorClass.Http5xx);
    assertThat(result.message()).isEqualTo("HTTP 500");
    assertThat(result.responseExcerpt()).isEqualTo(body.substring(0, 500));
  }

  @ParameterizedTest
  @CsvSource({"503,Http5xx", "429,Http4xx"})
  void retryAfterSecondsIsReportedFor503And429(int status, ErrorClass expected) throws Exception {
    TestReceiver receiver =
        start(
            req ->
                req.response()
                    .setStatusCode(status)
                    .putHeader("Retry-After", "120")
                    .end("slow down"));

    AttemptResult result = send(request(receiver.url()));

    assertThat(result.errorClass()).isEqualTo(expected);
    assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void retryAfterHttpDateIsReadAgainstTheReceiversClock() throws Exception {
    // The receiver's clock runs an hour behind ours: only its own Date makes the wait 90 s.
    Instant receiverNow = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    DateTimeFormatter http = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    TestReceiver receiver =
        start(
            req ->
                req.response()
                    .setStatusCode(503)
                    .putHeader("Date", http.format(receiverNow))
                    .putHeader("Retry-After", http.format(receiverNow.plusSeconds(90)))
                    .end());

    AttemptResult result = send(request(receiver.url()));

    assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void retryAfterIsIgnoredOnOtherStatuses() throws Exception {
    TestReceiver receiver =
        start(req -> req.response().setStatusCode(500).putHeader("Retry-After", "120").end());

    assertThat(send(request(receiver.url())).retryAfter()).isNull();
  }

  @Test
  void refusedConnectionIsConnectionFailed() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }

    AttemptResult result = send(request("http://127.0.0.1:" + closedPort + "/hooks"));

    assertThat(result.errorClass()).isEqualTo(ErrorClass.ConnectionFailed);
    assertThat(result.statusCode()).isNull();
    assertThat(result.message()).isEqualTo("connection refused");
    assertThat(result.responseExcerpt()).isNull();
  }

  @Test
  void hangingServerTimesOutNearTheDeadline() throws Exception {
    // Never accepted: the kernel completes the handshake from the backlog and nobody answers.
    try (ServerSocket hanging = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"))) {
      AttemptResult result =
          send(
              request(
                  "http://127.0.0.1:" + hanging.getLocalPort() + "/hooks", Duration.ofMillis(800)));

      assertThat(result.errorClass()).isEqualTo(ErrorClass.Timeout);
      assertThat(result.statusCode()).isNull();
      assertThat(result.message()).isEqualTo("no response within 800 ms");
      assertThat(result.durationMs()).isBetween(750L, 800L + 2500L);
    }
  }

  @Test
  void tricklingServerCannotStretchTheTotalDeadline() throws Exception {
    AtomicBoolean closedByClient = new AtomicBoolean();
    NetServer trickler =
        fixture
            .vertx()
            .createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
            .connectHandler(
                socket -> {
                  AtomicBoolean answered = new AtomicBoolean();
                  AtomicLong ticks = new AtomicLong();
                  socket.closeHandler(v -> closedByClient.set(true));
                  socket.handler(
                      request -> {
                        if (!answered.compareAndSet(false, true)) {
                          return;
                        }
                        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
                        // One byte per 100 ms keeps an idle timeout from ever firing; capped at 60
                        // s.
                        fixture
                            .vertx()
                            .setPeriodic(
                                100,
                                id -> {
                                  if (closedByClient.get() || ticks.incrementAndGet() > 600) {
                                    fixture.vertx().cancelTimer(id);
                                    socket.close();
                                  } else {
                                    socket.write("x");
                                  }
                                });
                      });
                });
    await(trickler.listen());
    servers.add(() -> await(trickler.close()));

    AttemptResult result =
        send(
            request(
                "http://127.0.0.1:" + trickler.actualPort() + "/hooks", Duration.ofMillis(1000)));

    assertThat(result.errorClass()).isEqualTo(ErrorClass.Timeout);
    assertThat(result.statusCode()).isNull();
    assertThat(result.message()).contains("HTTP 200").contains("not complete within 1000 ms");
    assertThat(result.responseExcerpt()).startsWith("x");
    assertThat(result.durationMs()).isBetween(950L, 1000L + 2500L);
    // The request was reset, not left hanging on a pooled connection.
    await().atMost(5, TimeUnit.SECONDS).untilTrue(closedByClient);
  }

  @ParameterizedTest
  @CsvSource({"200,", "500,Http5xx"})
  void hugeBodyIsCutAfterTheLimitAndTheConnectionClosed(int status, ErrorClass expected)
      throws Exception {
    long total = 64L * 1024 * 1024;
    Buffer chunk = Buffer.buffer("abcdefghijklmnopqrstuvwxyz012345".repeat(2048)); // 64 KiB
    AtomicLong written = new AtomicLong();
    AtomicBoolean closed = new AtomicBoolean();
    TestReceiver receiver =
        start(
            req -> {
              HttpServerResponse response = req.response().setStatusCode(status).setChunked(true);
              response.closeHandler(v -> closed.set(true));
              pump(response, chunk, written, total);
            });

    AttemptResult result = send(request(receiver.url(), Duration.ofSeconds(10)));

    assertThat(result.errorClass()).isEqualTo(expected);
    assertThat(result.statusCode()).isEqualTo(status);
    assertThat(result.responseExcerpt()).hasSize(500).isEqualTo(chunk.getString(0, 500));
    assertThat(result.message()).contains("not read to the end");
    assertThat(result.durationMs()).isLessThan(5000);
    await().atMost(5, TimeUnit.SECONDS).untilTrue(closed);
    assertThat(written.get()).isLessThan(total);
  }

  @Test
  void plainHttpCanBeRefused() throws Exception {
    TestReceiver receiver = receiver(200, "ok");
    try (WebhookSender strict =
        new WebhookSender(fixture.vertx(), TestReceiver.localOptions().withAllowPlainHttp(false))) {
      AttemptResult result =
          strict.send(request(receiver.url())).toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertThat(result.errorClass()).isEqualTo(ErrorClass.Blocked);
      assertThat(result.message()).contains("plain http");
      assertThat(receiver.received()).isEmpty();
    }
  }

  @Test
  void unusableUrlsFailWithoutThrowing() throws Exception {
    for (String url : List.of("ftp://127.0.0.1/x", "not a url", "http:///nohost")) {
      AttemptResult result = send(request(url));
      assertThat(result.errorClass()).as(url).isEqualTo(ErrorClass.Blocked);
      assertThat(result.statusCode()).isNull();
    }
  }

  @Test
  void malformedExtraHeadersAreLeftOutWithoutLeakingTheirValues() throws Exception {
    TestReceiver receiver = receiver(200, "ok");
    Map<String, String> extra =
        Map.of("X-Token", "abc\r\nX-Injected: 1", "Bad Name", "v", "X-Ok", "yes");

    AttemptResult result =
        send(
            new WebhookRequest(
                receiver.url(),
                "id",
                "t",
                new byte[0],
                extra,
                List.of(SigningKey.parse(secret)),
                Duration.ofSeconds(5),
                Instant.now()));

    assertThat(result.succeeded()).isTrue();
    MultiMap headers = receiver.received().get(0).headers();
    assertThat(headers.get("X-Ok")).isEqualTo("yes");
    assertThat(headers.contains("X-Token")).isFalse();
    assertThat(headers.contains("X-Injected")).isFalse();
  }

  // --- helpers

  private static void pump(
      HttpServerResponse response, Buffer chunk, AtomicLong written, long total) {
    // Bounded by total / chunk size iterations overall; waits for drain instead of buffering.
    while (!response.closed() && !response.writeQueueFull() && written.get() < total) {
      response.write(chunk);
      written.addAndGet(chunk.length());
    }
    if (response.closed()) {
      return;
    }
    if (written.get() >= total) {
      response.end();
    } else {
      response.drainHandler(v -> pump(response, chunk, written, total));
    }
  }

  /** One gzip member holding {@code size} bytes of 'A'. */
  private static byte[] gzip(int size) {
    byte[] plain = new byte[size];
    Arrays.fill(plain, (byte) 'A');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private TestReceiver receiver(int status, String body) {
    return start(
        req -> {
          req.response().setStatusCode(status);
          if (body == null) {
            req.response().end();
          } else {
            req.response().end(body);
          }
        });
  }

  private TestReceiver start(
      java.util.function.Consumer<io.vertx.core.http.HttpServerRequest> respond) {
    TestReceiver receiver = TestReceiver.start(fixture.vertx(), respond);
    servers.add(receiver);
    return receiver;
  }

  private WebhookRequest request(String url) {
    return request(url, Duration.ofSeconds(5));
  }

  private WebhookRequest request(String url, Duration timeout) {
    return new WebhookRequest(
        url,
        "msg_1",
        "order.created",
        "{\"order\":1}".getBytes(StandardCharsets.UTF_8),
        Map.of(),
        List.of(SigningKey.parse(secret)),
        timeout,
        Instant.now());
  }

  private WebhookRequest request(String url, List<SigningKey> keys) {
    return new WebhookRequest(
        url,
        "msg_1",
        "order.created",
        "{\"order\":1}".getBytes(StandardCharsets.UTF_8),
        Map.of(),
        keys,
        Duration.ofSeconds(5),
        Instant.now());
  }

  static AttemptResult send(WebhookRequest request) throws Exception {
    return fixture.sender().send(request).toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  static HttpHeaders jdkHeaders(MultiMap headers) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (String name : headers.names()) {
      map.put(name, headers.getAll(name));
    }
    return HttpHeaders.of(map, (name, value) -> true);
  }
}
