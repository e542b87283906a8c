package dev.herald.digest;

import dev.herald.egress.Destination;
import dev.herald.egress.Egress;
import dev.herald.egress.IpLiteral;
import dev.herald.egress.ServerNameTrust;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Sends a digest e-mail along the same egress path as every webhook: the SMTP host is routed by
 * {@link Egress} (one lookup, every address checked) and the mail client connects to the address
 * that was checked, given as a literal so it never looks the name up again. STARTTLS (and SMTPS)
 * still verify the server's certificate against the host name, through {@link ServerNameTrust}.
 */
final class DigestMailer {
  private final Vertx vertx;
  private final Egress egress;
  private final X509ExtendedTrustManager trust;

  /** Trusts the JDK's CA certificates, like any mail client would. */
  DigestMailer(Vertx vertx, Egress egress) {
    this(vertx, egress, ServerNameTrust.systemDefault());
  }

  DigestMailer(Vertx vertx, Egress egress, X509ExtendedTrustManager trust) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.egress = Objects.requireNonNull(egress, "egress");
    this.trust = Objects.requireNonNull(trust, "trust");
  }

  /**
   * Sends {@code message} through the server {@code config} names by host (as the user wrote it)
   * and port. Fails with {@link Egress.RefusedException} when the policy refuses the host, with the
   * resolver's failure when it does not resolve, with the mail client's failure, or with a {@link
   * TimeoutException} once {@code timeout} is up (a server that accepts and never answers): the
   * connection is closed then, so a hanging server holds nothing of Herald's.
   */
  Future<Void> send(MailConfig config, MailMessage message, Duration timeout) {
    String host = config.getHostname();
    Promise<Void> done = Promise.promise();
    AtomicReference<Runnable> closeClient = new AtomicReference<>(() -> {});
    long timer =
        vertx.setTimer(
            timeout.toMillis(),
            t -> {
              if (done.tryFail(
                  new TimeoutException("timed out after " + timeout.toSeconds() + "s"))) {
                closeClient.get().run();
              }
            });
    egress
        .route(host)
        .compose(
            address -> {
              MailConfig pinned =
                  new MailConfig(config)
                      .setHostname(IpLiteral.format(address))
                      .setTrustOptions(
                          TrustOptions.wrap(
                              ServerNameTrust.forName(trust, Destination.withoutBrackets(host))));
              MailClient client = MailClient.create(vertx, pinned);
              AtomicBoolean closed = new AtomicBoolean();
              closeClient.set(
                  () -> {
                    if (closed.compareAndSet(false, true)) {
                      client.close();
                    }
                  });
              if (done.future().isComplete()) {
                closeClient.get().run(); // timed out while the name was looked up
                return Future.<Void>failedFuture("timed out");
              }
              return client.sendMail(message).<Void>mapEmpty();
            })
        .onComplete(
            result -> {
              vertx.cancelTimer(timer);
              closeClient.get().run();
              if (result.succeeded()) {
                done.tryComplete();
              } else {
                done.tryFail(result.cause());
              }
            });
    return done.future();
  }
}
