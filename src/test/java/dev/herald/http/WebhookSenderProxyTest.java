package dev.herald.http;

import static dev.herald.testing.TestCerts.dns;
import static dev.herald.testing.TestReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.egress.EgressPolicy;
import dev.herald.egress.IpLiteral;
import dev.herald.egress.Resolver;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import dev.herald.testing.OfflineVertx;
import dev.herald.testing.TestCerts;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.Tinyproxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The forward proxy, against a real tinyproxy on 127.0.0.1. */
class WebhookSenderProxyTest {
  static final String PASSWORD = "proxy-pass-" + System.nanoTime();
  static final String NAME = "billing.example.invalid";

  static Vertx vertx;
  static Tinyproxy proxy;
  static TestCerts.Issued ca;
  static TestReceiver receiver;
  static TlsMaterial trustCa;

  /** Only the receiver's name is known, and only this resolver knows it: no DNS anywhere. */
  static final Resolver RESOLVER =
      host ->
          host.equals(NAME)
              ? Future.succeededFuture(List.of(IpLiteral.parse("127.0.0.1")))
              : Future.failedFuture(new java.net.UnknownHostException(host));

  @BeforeAll
  static void start() throws Exception {
    vertx = OfflineVertx.create("");
    proxy = Tinyproxy.start(PASSWORD);
    ca = TestCerts.ca("proxy test CA");
    receiver =
        TestReceiver.start(
            vertx,
            new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(TestCerts.server(ca, dns(NAME)).keyCertOptions()),
            req -> req.response().end("ok"));
    trustCa = TlsMaterial.parse(vertx, null, null, ca.certPem(), false);
  }

  @AfterAll
  static void stop() throws Exception {
    receiver.close();
    proxy.close();
    await(vertx.close());
  }

  @Test
  void attemptsTunnelThroughTheProxyToTheCheckedAddressWithTlsToTheName() throws Exception {
    AtomicReference<ProxySettings.Credentials> credentials =
        new AtomicReference<>(new ProxySettings.Credentials(Tinyproxy.USER, PASSWORD));
    try (WebhookSender sender = sender(proxy.port(), credentials, TestReceiver.LOOPBACK)) {
      AttemptResult result = send(sender, false);

      assertThat(result.succeeded()).as(result.message()).isTrue();
      assertThat(result.tlsVersion()).isNotNull();
      // CONNECT named the address Herald checked, never the name
      assertThat(proxy.log())
          .contains("127.0.0.1:" + receiver.port())
          .doesNotContain(NAME)
          .doesNotContain(PASSWORD);

      // new credentials are used without a new sender (the supplier is read per attempt)
      credentials.set(new ProxySettings.Credentials(Tinyproxy.USER, "wrong"));
      AttemptResult refused = send(sender, false);
      assertThat(refused.errorClass()).isEqualTo(ErrorClass.ProxyError);
      assertThat(refused.message()).matches("proxy answered 40[17] .*").doesNotContain("wrong");
      assertThat(refused.hint()).contains("check the proxy credentials");
      assertThat(refused.statusCode()).isNull();
    }
  }

  @Test
  void aProxyThatIsNotListeningIsAProxyError() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (WebhookSender sender =
        sender(closed, new AtomicReference<>(null), TestReceiver.LOOPBACK)) {
      AttemptResult result = send(sender, false);

      assertThat(result.errorClass()).isEqualTo(ErrorClass.ProxyError);
      assertThat(result.message()).isEqualTo("proxy: connection refused");
    }
  }

  @Test
  void theProxyCannotReachWhatThePolicyRefuses() throws Exception {
    // the proxy's own address is allowed, the receiver's is not
    EgressPolicy proxyOnly = EgressPolicy.builder().allow("127.0.0.1/32").build();
    Resolver other =
        host ->
            host.equals(NAME)
                ? Future.succeededFuture(List.of(IpLiteral.parse("169.254.169.254")))
                : Future.failedFuture(new java.net.UnknownHostException(host));
    String before = proxy.log();
    try (WebhookSender sender =
        new WebhookSender(
            vertx,
            SenderOptions.defaults()
                .withEgressPolicy(proxyOnly)
                .withProxy(
                    new ProxySettings(
                        "127.0.0.1",
                        proxy.port(),
                        () ->
                            Optional.of(new ProxySettings.Credentials(Tinyproxy.USER, PASSWORD)))),
            other)) {
      AttemptResult result = send(sender, false);

      assertThat(result.errorClass()).isEqualTo(ErrorClass.Blocked);
      assertThat(proxy.log()).isEqualTo(before); // the proxy was never asked
    }
    // and the proxy itself must pass the policy
    try (WebhookSender sender =
        sender(proxy.port(), new AtomicReference<>(null), EgressPolicy.defaults())) {
      AttemptResult result = send(sender, false);
      assertThat(result.errorClass()).isEqualTo(ErrorClass.Blocked);
      assertThat(result.message()).startsWith("proxy 127.0.0.1:");
    }
  }

  @Test
  void bypassProxyConnectsDirectly() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (WebhookSender sender =
        sender(closed, new AtomicReference<>(null), TestReceiver.LOOPBACK)) {
      AttemptResult result = send(sender, true);

      assertThat(result.succeeded()).as(result.message()).isTrue();
    }
  }

  private static WebhookSender sender(
      int port, AtomicReference<ProxySettings.Credentials> credentials, EgressPolicy policy) {
    return new WebhookSender(
        vertx,
        SenderOptions.defaults()
            .withEgressPolicy(policy)
            .withProxy(
                new ProxySettings("127.0.0.1", port, () -> Optional.ofNullable(credentials.get()))),
        RESOLVER);
  }

  private static AttemptResult send(WebhookSender sender, boolean bypass) throws Exception {
    WebhookRequest request =
        new WebhookRequest(
                "https://" + NAME + ":" + receiver.port() + "/hooks",
                "msg_proxy",
                "order.created",
                "{}".getBytes(StandardCharsets.UTF_8),
                Map.of(),
                List.of(SigningKey.parse(SecretGenerator.generate())),
                Duration.ofSeconds(20),
                Instant.now())
            .withTransport(new Transport(trustCa, bypass));
    return sender.send(request).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
