package dev.herald.http;

import static dev.herald.testing.TestReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.egress.EgressPolicy;
import dev.herald.egress.Resolver;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import dev.herald.testing.OfflineVertx;
import dev.herald.testing.ScriptedResolver;
import dev.herald.testing.TestReceiver;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The egress policy as the sender enforces it. Every address a test hands out is 127.0.0.1 or ::1,
 * so even a broken sender could only ever connect to this machine; the other ranges are covered by
 * the pure policy tests.
 *
 * <p>The Vert.x here cannot resolve names on its own (see {@link OfflineVertx#create}) except
 * {@code receiver.test} from its hosts file: a request that reaches a receiver under any other name
 * went to the address the sender's own lookup returned and the policy checked.
 */
class WebhookSenderEgressTest {
  static Vertx vertx;

  final List<AutoCloseable> closeables = new ArrayList<>();
  TestReceiver receiver;

  @BeforeAll
  static void startVertx() {
    vertx = OfflineVertx.create("127.0.0.1 receiver.test\n");
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void startReceiver() {
    receiver = TestReceiver.start(vertx, req -> req.response().end("ok"));
    closeables.add(receiver);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  @Test
  void aNameIsResolvedOnceAndTheAddressCheckedIsTheAddressConnectedTo() throws Exception {
    // A rebinding DNS: the first answer passes the policy, every later one would not.
    ScriptedResolver rebinding = new ScriptedResolver(List.of("127.0.0.1"), List.of("::1"));
    WebhookSender sender = sender(TestReceiver.localOptions(), rebinding);

    AttemptResult first = send(sender, "http://rebind.test:" + receiver.port() + "/hooks");

    assertThat(first.succeeded()).as(first.message()).isTrue();
    assertThat(rebinding.calls).containsExactly("rebind.test");
    assertThat(receiver.received()).hasSize(1);
    // The Host header keeps the URL's name although the connection went to an address.
    assertThat(receiver.received().get(0).headers().get("Host"))
        .isEqualTo("rebind.test:" + receiver.port());

    // The next attempt looks the name up afresh, and the rebound answer is refused before any
    // connection is made.
    AttemptResult second = send(sender, "http://rebind.test:" + receiver.port() + "/hooks");

    assertThat(second.errorClass()).isEqualTo(ErrorClass.Blocked);
    assertThat(second.message())
        .isEqualTo(
            "rebind.test resolves to ::1, which is loopback (::1/128); allow it with --egress-allow");
    assertThat(second.statusCode()).isNull();
    assertThat(rebinding.calls).containsExactly("rebind.test", "rebind.test");
    assertThat(receiver.received()).hasSize(1);
    assertThat(receiver.connections()).isEqualTo(1);
  }

  @Test
  void aRefusedNameIsBlockedWithoutAnyConnection() throws Exception {
    ScriptedResolver resolver = new ScriptedResolver(List.of("127.0.0.1"));
    WebhookSender sender = sender(SenderOptions.defaults().withAllowPlainHttp(true), resolver);

    AttemptResult result = send(sender, "http://internal.test:" + receiver.port() + "/hooks");

    assertThat(result.errorClass()).isEqualTo(ErrorClass.Blocked);
    assertThat(result.message())
        .isEqualTo(
            "internal.test resolves to 127.0.0.1, which is loopback (127.0.0.0/8); allow it with --egress-allow");
    assertThat(result.statusCode()).isNull();
    assertThat(result.responseExcerpt()).isNull();
    assertThat(result.url()).isEqualTo("http://internal.test:" + receiver.port() + "/hooks");
    assertThat(receiver.connections()).isEqualTo(0);
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void oneRefusedAddressRefusesTheNameWhateverTheOrder() throws Exception {
    for (List<String> answer : List.of(List.of("127.0.0.1", "::1"), List.of("::1", "127.0.0.1"))) {
      WebhookSender sender = sender(TestReceiver.localOptions(), new ScriptedResolver(answer));

      AttemptResult result = send(sender, "http://mixed.test:" + receiver.port() + "/hooks");

      assertThat(result.errorClass()).as(answer.toString()).isEqualTo(ErrorClass.Blocked);
      assertThat(result.message()).startsWith("mixed.test resolves to ::1, which is loopback");
    }
    assertThat(receiver.connections()).isEqualTo(0);
  }

  @Test
  void ipLiteralsAreCheckedAsTheyAreWithoutALookup() throws Exception {
    ScriptedResolver resolver = new ScriptedResolver();
    WebhookSender strict = sender(SenderOptions.defaults().withAllowPlainHttp(true), resolver);
    int port = receiver.port();

    for (String host :
        List.of("127.0.0.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::1]", "[::127.0.0.1]")) {
      AttemptResult result = send(strict, "http://" + host + ":" + port + "/hooks");

      assertThat(result.errorClass()).as(host).isEqualTo(ErrorClass.Blocked);
      assertThat(result.message())
          .as(host)
          .contains("loopback")
          .endsWith("allow it with --egress-allow");
    }
    assertThat(send(strict, "http://[fe80::1%25eth0]:" + port + "/hooks").errorClass())
        .isEqualTo(ErrorClass.Blocked);
    assertThat(receiver.connections()).isEqualTo(0);

    AttemptResult allowed =
        send(sender(TestReceiver.localOptions(), resolver), "http://127.0.0.1:" + port + "/hooks");

    assertThat(allowed.succeeded()).as(allowed.message()).isTrue();
    assertThat(resolver.calls).isEmpty();
  }

  @Test
  void anAllowedHostNamePassesWhateverItResolvesTo() throws Exception {
    EgressPolicy policy = EgressPolicy.builder().allow("*.cluster.test").build();
    WebhookSender sender =
        sender(
            SenderOptions.defaults().withAllowPlainHttp(true).withEgressPolicy(policy),
            new ScriptedResolver(List.of("127.0.0.1")));

    AttemptResult result =
        send(sender, "http://billing.shop.cluster.test:" + receiver.port() + "/hooks");

    assertThat(result.succeeded()).as(result.message()).isTrue();
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void theVertxResolverIsTheDefaultAndSeesItsHostsFile() throws Exception {
    WebhookSender sender = new WebhookSender(vertx, TestReceiver.localOptions());
    closeables.add(sender);

    AttemptResult known = send(sender, "http://receiver.test:" + receiver.port() + "/hooks");
    AttemptResult unknown = send(sender, "http://unknown.test:" + receiver.port() + "/hooks");

    assertThat(known.succeeded()).as(known.message()).isTrue();
    assertThat(unknown.errorClass()).isEqualTo(ErrorClass.DnsFailure);
    assertThat(unknown.message()).startsWith("DNS lookup failed").contains("unknown.test");
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void lookupFailuresAndEmptyAnswersAreDnsFailures() throws Exception {
    WebhookSender failing =
        sender(
            TestReceiver.localOptions(),
            host ->
                Future.failedFuture(new UnknownHostException("Failed to resolve '" + host + "'")));
    WebhookSender empty =
        sender(TestReceiver.localOptions(), host -> Future.succeededFuture(List.of()));

    AttemptResult failed = send(failing, "http://gone.test:" + receiver.port() + "/hooks");
    AttemptResult nothing = send(empty, "http://gone.test:" + receiver.port() + "/hooks");

    assertThat(failed.errorClass()).isEqualTo(ErrorClass.DnsFailure);
    assertThat(failed.message()).isEqualTo("DNS lookup failed: Failed to resolve 'gone.test'");
    assertThat(nothing.errorClass()).isEqualTo(ErrorClass.DnsFailure);
    assertThat(nothing.message()).isEqualTo("DNS lookup failed: no address for gone.test");
    assertThat(receiver.connections()).isEqualTo(0);
  }

  @Test
  void aLookupThatNeverAnswersEndsAtTheAttemptDeadline() throws Exception {
    Promise<List<InetAddress>> never = Promise.promise();
    WebhookSender sender = sender(TestReceiver.localOptions(), host -> never.future());

    AttemptResult result =
        send(
            sender,
            request("http://slow.test:" + receiver.port() + "/hooks", Duration.ofMillis(300)));

    assertThat(result.errorClass()).isEqualTo(ErrorClass.Timeout);
    assertThat(result.durationMs()).isBetween(250L, 300L + 2500L);
  }

  @Test
  void plainHttpIsRefusedByDefaultBeforeAnyLookup() throws Exception {
    ScriptedResolver resolver = new ScriptedResolver(List.of("127.0.0.1"));
    WebhookSender sender =
        sender(SenderOptions.defaults().withEgressPolicy(TestReceiver.LOOPBACK), resolver);

    AttemptResult result = send(sender, "http://receiver.test:" + receiver.port() + "/hooks");

    assertThat(result.errorClass()).isEqualTo(ErrorClass.Blocked);
    assertThat(result.message())
        .startsWith("plain http is not allowed")
        .contains("--allow-plain-http");
    assertThat(resolver.calls).isEmpty();
    assertThat(receiver.connections()).isEqualTo(0);
  }

  // --- helpers

  private WebhookSender sender(SenderOptions options, Resolver resolver) {
    WebhookSender sender = new WebhookSender(vertx, options, resolver);
    closeables.add(sender);
    return sender;
  }

  private static WebhookRequest request(String url, Duration timeout) {
    return new WebhookRequest(
        url,
        "msg_egress",
        "order.created",
        "{}".getBytes(StandardCharsets.UTF_8),
        Map.of(),
        List.of(SigningKey.parse(SecretGenerator.generate())),
        timeout,
        Instant.now());
  }

  private static AttemptResult send(WebhookSender sender, String url) throws Exception {
    return send(sender, request(url, Duration.ofSeconds(5)));
  }

  private static AttemptResult send(WebhookSender sender, WebhookRequest request) throws Exception {
    return sender.send(request).toCompletableFuture().get(15, TimeUnit.SECONDS);
  }
}
