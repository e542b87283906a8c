package dev.herald.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.egress.Egress;
import dev.herald.egress.EgressPolicy;
import dev.herald.testing.OfflineVertx;
import dev.herald.testing.ScriptedResolver;
import dev.herald.testing.SmtpSink;
import dev.herald.testing.TestCerts;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The digest's SMTP connection takes the one egress path: the address the policy checked is the
 * address connected to, and TLS checks the certificate against the name. The SMTP sink listens on
 * 127.0.0.1 only; this Vert.x answers every name of the test from its hosts file with 127.0.0.2,
 * where nothing listens, so a mail client that looked a name up again itself would fail.
 */
class DigestMailerTest {
  static final EgressPolicy LOOPBACK = EgressPolicy.builder().allow("127.0.0.1/32").build();
  static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx =
        OfflineVertx.create("127.0.0.2 rebind.test\n127.0.0.2 smtp.test\n127.0.0.2 other.test\n");
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theSmtpConnectionGoesToTheAddressThePolicyCheckedNotToASecondLookup() throws Exception {
    // A rebinding DNS: the first answer passes the policy, every later one would not.
    ScriptedResolver rebinding = new ScriptedResolver(List.of("127.0.0.1"), List.of("127.0.0.2"));
    DigestMailer mailer = new DigestMailer(vertx, new Egress(LOOPBACK, rebinding));

    try (SmtpSink smtp = new SmtpSink()) {
      send(mailer, config("rebind.test", smtp.port(), StartTLSOptions.DISABLED));

      assertThat(smtp.mails())
          .singleElement()
          .satisfies(mail -> assertThat(mail.to()).containsExactly("oncall@example.com"));
      assertThat(rebinding.calls).containsExactly("rebind.test");

      // The next send looks the name up afresh, and the rebound answer is refused before any
      // connection.
      assertThatThrownBy(
              () -> send(mailer, config("rebind.test", smtp.port(), StartTLSOptions.DISABLED)))
          .hasCauseInstanceOf(Egress.RefusedException.class)
          .cause()
          .hasMessage(
              "rebind.test resolves to 127.0.0.2, which is loopback (127.0.0.0/8); allow it with --egress-allow");
      assertThat(rebinding.calls).containsExactly("rebind.test", "rebind.test");
      assertThat(smtp.mails()).hasSize(1);
    }
  }

  @Test
  void starttlsChecksTheCertificateAgainstTheNameNotTheAddress() throws Exception {
    TestCerts.Issued ca = TestCerts.ca("Herald test CA");
    // A certificate for the name only: checked against the address 127.0.0.1, it would fail.
    TestCerts.Issued server = TestCerts.server(ca, TestCerts.dns("smtp.test"));
    DigestMailer mailer =
        new DigestMailer(
            vertx, new Egress(LOOPBACK, new ScriptedResolver(List.of("127.0.0.1"))), trusting(ca));

    try (SmtpSink smtp = new SmtpSink(serverContext(server))) {
      send(mailer, config("smtp.test", smtp.port(), StartTLSOptions.REQUIRED));

      assertThat(smtp.mails())
          .singleElement()
          .satisfies(mail -> assertThat(mail.overTls()).isTrue());

      // Same address, same certificate, another name: refused, nothing sent.
      assertThatThrownBy(
              () -> send(mailer, config("other.test", smtp.port(), StartTLSOptions.REQUIRED)))
          .isInstanceOf(ExecutionException.class);
      assertThat(smtp.mails()).hasSize(1);
    }
  }

  @Test
  void anIpLiteralHostIsCheckedWithoutALookup() throws Exception {
    ScriptedResolver none = new ScriptedResolver();
    DigestMailer strict = new DigestMailer(vertx, new Egress(EgressPolicy.defaults(), none));

    try (SmtpSink smtp = new SmtpSink()) {
      for (String host : List.of("127.0.0.1", "[::ffff:0:127.0.0.1]", "::1")) {
        assertThatThrownBy(() -> send(strict, config(host, smtp.port(), StartTLSOptions.DISABLED)))
            .as(host)
            .hasCauseInstanceOf(Egress.RefusedException.class);
      }
      send(
          new DigestMailer(vertx, new Egress(LOOPBACK, none)),
          config("127.0.0.1", smtp.port(), StartTLSOptions.DISABLED));

      assertThat(smtp.mails()).hasSize(1);
      assertThat(none.calls).isEmpty();
    }
  }

  // --- helpers

  private static MailConfig config(String host, int port, StartTLSOptions starttls) {
    return new MailConfig()
        .setHostname(host)
        .setPort(port)
        .setStarttls(starttls)
        .setLogin(LoginOption.DISABLED)
        .setKeepAlive(false)
        .setConnectTimeout(5_000);
  }

  private static void send(DigestMailer mailer, MailConfig config) throws Exception {
    MailMessage message =
        new MailMessage()
            .setFrom("herald@example.com")
            .setTo("oncall@example.com")
            .setSubject("digest")
            .setText("one failing endpoint");
    mailer
        .send(config, message, java.time.Duration.ofSeconds(15))
        .toCompletionStage()
        .toCompletableFuture()
        .get(15, TimeUnit.SECONDS);
  }

  private static SSLContext serverContext(TestCerts.Issued issued) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = "test".toCharArray();
    store.setKeyEntry(
        "server", issued.keys().getPrivate(), password, new Certificate[] {issued.certificate()});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static X509ExtendedTrustManager trusting(TestCerts.Issued ca) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
  }
}
