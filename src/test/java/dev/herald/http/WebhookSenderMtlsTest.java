package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import dev.herald.testing.TestCerts;
import dev.herald.testing.TestReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** spec.tls on the wire: client certificates, a private CA bundle, what TLS was negotiated. */
class WebhookSenderMtlsTest {
  /** A sender that trusts only the JVM's CAs: what a receiver's private CA needs caBundle for. */
  @RegisterExtension
  static final SenderFixture fixture =
      SenderFixture.offline(() -> SenderOptions.defaults().withEgressPolicy(TestReceiver.LOOPBACK));

  static TestCerts.Issued serverCa;
  static TestCerts.Issued clientCa;

  TestReceiver receiver;

  @BeforeAll
  static void start() {
    serverCa = TestCerts.ca("receiver private CA");
    clientCa = TestCerts.ca("client CA");
  }

  @AfterEach
  void stopReceiver() {
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void aPrivateCaBundleIsTrustedAndTheNegotiatedTlsIsRecorded() throws Exception {
    receiver = mtlsReceiver(null, "TLSv1.2", null);

    AttemptResult result = send(material(null, serverCa, true));

    assertThat(result.succeeded()).as(result.message()).isTrue();
    assertThat(result.tlsVersion()).isEqualTo("TLSv1.2");
    assertThat(result.tlsCipher()).startsWith("TLS_");
  }

  @Test
  void withoutTheBundleTheReceiversPrivateCaIsUnknownWithAHint() throws Exception {
    receiver = mtlsReceiver(null, null, null);

    AttemptResult result = send(null);

    assertThat(result.errorClass()).isEqualTo(ErrorClass.TlsError);
    assertThat(result.message()).startsWith("the receiver's certificate is not from a trusted CA");
    assertThat(result.hint()).contains("spec.tls.caBundle");
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void aBundleReplacingTheSystemCasStillTrustsItsOwnCa() throws Exception {
    receiver = mtlsReceiver(null, null, null);

    assertThat(send(material(null, serverCa, false)).succeeded()).isTrue();
    // the bundle alone: a receiver whose CA is not in it is refused
    AttemptResult other = send(material(null, clientCa, false));
    assertThat(other.errorClass()).isEqualTo(ErrorClass.TlsError);
  }

  @Test
  void theClientCertificateIsPresentedToAReceiverThatRequiresOne() throws Exception {
    AtomicReference<String> subject = new AtomicReference<>();
    receiver = mtlsReceiver(clientCa, null, subject);

    AttemptResult result = send(material(TestCerts.client(clientCa), serverCa, true));

    assertThat(result.succeeded()).as(result.message()).isTrue();
    assertThat(subject).hasValue("CN=herald client");
    assertThat(result.tlsVersion()).isEqualTo("TLSv1.3");
  }

  @Test
  void noOrAForeignClientCertificateIsARejectionThatSaysSo() throws Exception {
    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
      receiver = mtlsReceiver(clientCa, protocol, null);
      TestCerts.Issued foreign = TestCerts.client(TestCerts.ca("someone else's CA"));

      for (TlsMaterial material :
          List.of(material(null, serverCa, true), material(foreign, serverCa, true))) {
        AttemptResult result = send(material);

        assertThat(result.errorClass()).as(protocol).isEqualTo(ErrorClass.TlsError);
        assertThat(result.message())
            .as(protocol)
            .startsWith("the receiver rejected the client certificate");
        assertThat(result.hint()).as(protocol).contains("spec.tls.clientCertificateSecretName");
      }
      assertThat(receiver.received()).isEmpty();
      receiver.close();
      receiver = null;
    }
  }

  @Test
  void theTokenRequestOfOAuth2GoesOverTheEndpointsTlsToo() throws Exception {
    // an identity provider behind the same private CA that asks for the client certificate
    // (RFC 8705): without the endpoint's spec.tls the token request could not even connect
    TestCerts.Issued client = TestCerts.client(clientCa);
    AtomicReference<String> tokenClient = new AtomicReference<>();
    TestReceiver tokens =
        TestReceiver.start(
            fixture.vertx(),
            TestCerts.httpsOptions(serverCa, clientCa, null),
            req -> {
              tokenClient.set(peerSubject(req));
              req.response()
                  .putHeader("Content-Type", "application/json")
                  .end("{\"access_token\":\"tok-mtls\",\"expires_in\":60}");
            });
    try (tokens) {
      receiver = mtlsReceiver(clientCa, null, null);
      WebhookRequest request =
          new WebhookRequest(
                  receiver.url(),
                  "msg_mtls_oauth2",
                  "order.created",
                  "{}".getBytes(StandardCharsets.UTF_8),
                  Map.of(),
                  List.of(SigningKey.parse(SecretGenerator.generate())),
                  Duration.ofSeconds(20),
                  Instant.now(),
                  new OAuth2Grant(
                      tokens.url("/token"),
                      "herald",
                      "client-secret",
                      List.of(),
                      null,
                      false,
                      java.util.UUID.randomUUID().toString()))
              .withTransport(new Transport(material(client, serverCa, true), false));

      AttemptResult result =
          fixture.sender().send(request).toCompletableFuture().get(60, TimeUnit.SECONDS);

      assertThat(result.succeeded()).as(result.message()).isTrue();
      assertThat(tokenClient.get())
          .isEqualTo(client.certificate().getSubjectX500Principal().getName());
      assertThat(receiver.received().get(0).header("Authorization")).isEqualTo("Bearer tok-mtls");
    }
  }

  @Test
  void eachMaterialHasAClientOfItsOwnAndTheirNumberIsBounded() throws Exception {
    receiver = mtlsReceiver(null, null, null);
    try (WebhookSender own =
        new WebhookSender(
            fixture.vertx(), SenderOptions.defaults().withEgressPolicy(TestReceiver.LOOPBACK))) {
      send(own, material(null, serverCa, true));
      send(own, material(null, serverCa, true)); // the same content: the same client
      assertThat(own.tlsClientCount()).isEqualTo(1);
      send(own, material(null, serverCa, false));
      assertThat(own.tlsClientCount()).isEqualTo(2);
    }
  }

  @Test
  void pastTheBoundTheLeastRecentlyUsedClientIsClosedOnceNoAttemptHoldsIt() throws Exception {
    java.util.List<String> closed = new java.util.ArrayList<>();
    TlsClients clients =
        new TlsClients(
            m -> {
              io.vertx.core.http.HttpClient client = fixture.vertx().createHttpClient();
              // the real client, with its closing observed
              return (io.vertx.core.http.HttpClient)
                  java.lang.reflect.Proxy.newProxyInstance(
                      getClass().getClassLoader(),
                      new Class<?>[] {io.vertx.core.http.HttpClient.class},
                      (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                          closed.add(m.id());
                        }
                        return method.invoke(client, args);
                      });
            },
            2,
            Duration.ofMinutes(10));
    TlsMaterial a = material(null, serverCa, true);
    TlsMaterial b = material(null, serverCa, false);
    TlsMaterial c = material(null, clientCa, false);
    TlsClients.Lease held = clients.lease(a);
    clients.lease(b).release();
    clients.lease(c).release(); // a is the least recently used, but still held
    assertThat(clients.size()).isEqualTo(2);
    assertThat(closed).isEmpty();
    held.release();
    assertThat(closed).containsExactly(a.id());
    clients.close();
  }

  @Test
  void materialIsCheckedBeforeAnyAttemptAndNeverQuoted() throws Exception {
    TestCerts.Issued client = TestCerts.client(clientCa);
    TestCerts.Issued other = TestCerts.client(clientCa);

    assertThatThrownBy(
            () -> TlsMaterial.parse(fixture.vertx(), client.certPem(), other.keyPem(), null, true))
        .isInstanceOf(TlsMaterial.InvalidMaterialException.class)
        .hasMessage("tls.key is not the key of the certificate in tls.crt");
    assertThatThrownBy(
            () -> TlsMaterial.parse(fixture.vertx(), client.certPem(), "junk", null, true))
        .isInstanceOf(TlsMaterial.InvalidMaterialException.class)
        .hasMessageNotContaining("junk");
    assertThatThrownBy(() -> TlsMaterial.parse(fixture.vertx(), null, null, client.keyPem(), true))
        .hasMessage("the CA bundle holds no PEM certificate");
    assertThat(
            TlsMaterial.parse(fixture.vertx(), client.certPem(), client.keyPem(), null, true)
                .toString())
        .doesNotContain(client.keyPem().substring(40, 80));
  }

  @Test
  void anExpiredClientCertificateIsNamed() throws Exception {
    Instant now = Instant.now();
    TestCerts.Issued expired =
        TestCerts.client(clientCa, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
    TlsMaterial material =
        TlsMaterial.parse(fixture.vertx(), expired.certPem(), expired.keyPem(), null, true);

    assertThat(material.validityProblem(now)).startsWith("the client certificate expired at");
    assertThat(material.validityProblem(now.minus(Duration.ofDays(5)))).isNull();
  }

  private static TlsMaterial material(
      TestCerts.Issued client, TestCerts.Issued trusted, boolean system) throws Exception {
    return TlsMaterial.parse(
        fixture.vertx(),
        client == null ? null : client.certPem(),
        client == null ? null : client.keyPem(),
        trusted.certPem(),
        system);
  }

  /** A receiver with a certificate from the private CA, asking for one from {@code clientsFrom}. */
  private TestReceiver mtlsReceiver(
      TestCerts.Issued clientsFrom, String onlyProtocol, AtomicReference<String> subject) {
    return TestReceiver.start(
        fixture.vertx(),
        TestCerts.httpsOptions(serverCa, clientsFrom, onlyProtocol),
        req -> {
          if (subject != null) {
            subject.set(peerSubject(req));
          }
          req.response().end("ok");
        });
  }

  /** The subject of the client certificate the request came with, or "none: why". */
  private static String peerSubject(io.vertx.core.http.HttpServerRequest req) {
    try {
      return ((java.security.cert.X509Certificate) req.connection().peerCertificates().get(0))
          .getSubjectX500Principal()
          .getName();
    } catch (Exception e) {
      return "none: " + e;
    }
  }

  private AttemptResult send(TlsMaterial material) throws Exception {
    return send(fixture.sender(), material);
  }

  private AttemptResult send(WebhookSender through, TlsMaterial material) throws Exception {
    WebhookRequest request =
        new WebhookRequest(
                receiver.url(),
                "msg_mtls",
                "order.created",
                "{}".getBytes(StandardCharsets.UTF_8),
                Map.of(),
                List.of(SigningKey.parse(SecretGenerator.generate())),
                Duration.ofSeconds(20),
                Instant.now())
            .withTransport(new Transport(material, false));
    return through.send(request).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
