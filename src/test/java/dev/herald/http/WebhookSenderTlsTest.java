package dev.herald.http;

import static dev.herald.testing.TestCerts.dns;
import static dev.herald.testing.TestCerts.ip;
import static dev.herald.testing.TestReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.egress.IpLiteral;
import dev.herald.egress.Resolver;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import dev.herald.testing.OfflineVertx;
import dev.herald.testing.TestCerts;
import dev.herald.testing.TestReceiver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebhookSenderTlsTest {
  static final TestCerts.Issued testCa = TestCerts.ca("Herald test CA");

  /**
   * Offline: the names in these tests must never reach a real DNS server, even if broken code tried
   * to look them up itself. The sender trusts only the test CA, as an operator would be given a
   * private CA bundle.
   */
  @RegisterExtension
  static final SenderFixture fixture =
      SenderFixture.offline(() -> tlsOptions().withTrustOptions(testCa.trustOptions()));

  TestReceiver receiver;

  @AfterEach
  void stopReceiver() {
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void certificateFromTheTrustedCaIsAccepted() throws Exception {
    receiver = tlsReceiver(TestCerts.server(testCa, ip("127.0.0.1")), null);

    AttemptResult result = send(receiver.url());

    assertThat(result.succeeded()).as(result.message()).isTrue();
    assertThat(result.statusCode()).isEqualTo(200);
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void selfSignedCertificateIsATlsError() throws Exception {
    receiver = tlsReceiver(TestCerts.selfSigned(ip("127.0.0.1")), null);

    AttemptResult result = send(receiver.url());

    assertThat(result.errorClass()).isEqualTo(ErrorClass.TlsError);
    assertThat(result.statusCode()).isNull();
    assertThat(result.message()).contains("PKIX path building failed");
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void selfSignedCertificateIsRefusedByTheJvmDefaultTrustStoreToo() throws Exception {
    receiver = tlsReceiver(TestCerts.selfSigned(ip("127.0.0.1")), null);
    try (WebhookSender defaults = new WebhookSender(fixture.vertx(), tlsOptions())) {
      AttemptResult result =
          defaults.send(request(receiver.url())).toCompletableFuture().get(15, TimeUnit.SECONDS);

      assertThat(result.errorClass()).isEqualTo(ErrorClass.TlsError);
      assertThat(receiver.received()).isEmpty();
    }
  }

  @Test
  void certificateForAnotherNameIsATlsErrorEvenFromATrustedCa() throws Exception {
    receiver = tlsReceiver(TestCerts.server(testCa, dns("billing.example.invalid")), null);

    AttemptResult result = send(receiver.url());

    assertThat(result.errorClass()).isEqualTo(ErrorClass.TlsError);
    assertThat(result.message()).contains("No subject alternative names matching");
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void expiredCertificateIsATlsError() throws Exception {
    Instant now = Instant.now();
    receiver =
        tlsReceiver(
            TestCerts.server(
                testCa,
                now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)),
                ip("127.0.0.1")),
            null);

    AttemptResult result = send(receiver.url());

    assertThat(result.errorClass()).isEqualTo(ErrorClass.TlsError);
    assertThat(result.message()).startsWith("certificate has expired");
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void tls12AndTls13ServersAreBothReached() throws Exception {
    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
      receiver = tlsReceiver(TestCerts.server(testCa, ip("127.0.0.1")), protocol);

      AttemptResult result = send(receiver.url());

      assertThat(result.succeeded()).as(protocol + ": " + result.message()).isTrue();
      receiver.close();
      receiver = null;
    }
  }

  /** https only, as by default, with the one loopback address the receivers listen on. */
  static SenderOptions tlsOptions() {
    return SenderOptions.defaults().withEgressPolicy(TestReceiver.LOOPBACK);
  }

  @Test
  void sniAndCertificateAreForTheUrlsHostWhileTheConnectionGoesToTheCheckedAddress()
      throws Exception {
    AtomicReference<String> sni = new AtomicReference<>();
    receiver =
        tlsReceiver(fixture.vertx(), TestCerts.server(testCa, dns("billing.example.invalid")), sni);
    // No DNS anywhere: only this resolver knows the name, and it answers the receiver's address.
    Resolver resolver =
        host ->
            host.equals("billing.example.invalid")
                ? Future.succeededFuture(List.of(IpLiteral.parse("127.0.0.1")))
                : Future.failedFuture(new java.net.UnknownHostException(host));
    try (WebhookSender named =
        new WebhookSender(
            fixture.vertx(), tlsOptions().withTrustOptions(testCa.trustOptions()), resolver)) {
      AttemptResult result =
          named
              .send(request("https://billing.example.invalid:" + receiver.port() + "/hooks"))
              .toCompletableFuture()
              .get(15, TimeUnit.SECONDS);

      assertThat(result.succeeded()).as(result.message()).isTrue();
      assertThat(sni).hasValue("billing.example.invalid");
      assertThat(receiver.received().get(0).headers().get("Host"))
          .isEqualTo("billing.example.invalid:" + receiver.port());
    }
  }

  @Test
  void theCertificateIsVerifiedForTheNameNotForTheAddressConnectedTo() throws Exception {
    // Valid for the address the connection goes to, but not for the name in the URL.
    receiver =
        tlsReceiver(TestCerts.server(testCa, ip("127.0.0.1"), dns("someone-else.invalid")), null);
    Resolver resolver = host -> Future.succeededFuture(List.of(IpLiteral.parse("127.0.0.1")));
    try (WebhookSender named =
        new WebhookSender(
            fixture.vertx(), tlsOptions().withTrustOptions(testCa.trustOptions()), resolver)) {
      AttemptResult result =
          named
              .send(request("https://billing.example.invalid:" + receiver.port() + "/hooks"))
              .toCompletableFuture()
              .get(15, TimeUnit.SECONDS);

      assertThat(result.errorClass()).isEqualTo(ErrorClass.TlsError);
      assertThat(result.message()).contains("billing.example.invalid");
      assertThat(receiver.received()).isEmpty();
    }
  }

  @Test
  void localhostFromTheVertxResolverStillVerifiesAsLocalhost() throws Exception {
    Vertx offline = OfflineVertx.create("127.0.0.1 localhost\n");
    try {
      AtomicReference<String> sni = new AtomicReference<>();
      receiver = tlsReceiver(offline, TestCerts.server(testCa, dns("localhost")), sni);
      try (WebhookSender local =
          new WebhookSender(offline, tlsOptions().withTrustOptions(testCa.trustOptions()))) {
        AttemptResult result =
            local
                .send(request("https://localhost:" + receiver.port() + "/hooks"))
                .toCompletableFuture()
                .get(15, TimeUnit.SECONDS);

        assertThat(result.succeeded()).as(result.message()).isTrue();
        assertThat(sni).hasValue("localhost");
      }
    } finally {
      receiver.close();
      receiver = null;
      await(offline.close());
    }
  }

  private TestReceiver tlsReceiver(TestCerts.Issued certificate, String onlyProtocol) {
    HttpServerOptions options =
        new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
    if (onlyProtocol != null) {
      options.setEnabledSecureTransportProtocols(Set.of(onlyProtocol));
    }
    return TestReceiver.start(fixture.vertx(), options, req -> req.response().end("ok"));
  }

  /** A TLS receiver that records the server name the client indicated (SNI). */
  private static TestReceiver tlsReceiver(
      Vertx on, TestCerts.Issued certificate, AtomicReference<String> sni) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setSni(true)
            .setKeyCertOptions(certificate.keyCertOptions());
    Consumer<HttpServerRequest> respond =
        req -> {
          sni.set(req.connection().indicatedServerName());
          req.response().end("ok");
        };
    return TestReceiver.start(on, options, respond);
  }

  private static WebhookRequest request(String url) {
    return new WebhookRequest(
        url,
        "msg_tls",
        "order.created",
        "{}".getBytes(StandardCharsets.UTF_8),
        Map.of(),
        List.of(SigningKey.parse(SecretGenerator.generate())),
        Duration.ofSeconds(5),
        Instant.now());
  }

  private static AttemptResult send(String url) throws Exception {
    return fixture.sender().send(request(url)).toCompletableFuture().get(15, TimeUnit.SECONDS);
  }
}
