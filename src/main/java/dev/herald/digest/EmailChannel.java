package dev.herald.digest;

import dev.herald.api.v1alpha1.DigestReason;
import dev.herald.api.v1alpha1.WebhookDigestSpec;
import dev.herald.egress.Egress;
import dev.herald.kube.SecretValues;
import io.vertx.core.Future;
import io.vertx.ext.mail.MailMessage;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The report as a plain-text e-mail through the SMTP server of the digest's Secret. The host a
 * namespace user names passes the same egress path as webhook URLs ({@link DigestMailer}), or a
 * digest could reach internal services.
 */
final class EmailChannel implements DigestChannel {
  private final DigestMailer mailer;
  private final SmtpSettings smtp;
  private final WebhookDigestSpec.Email email;

  EmailChannel(DigestMailer mailer, SmtpSettings smtp, WebhookDigestSpec.Email email) {
    this.mailer = mailer;
    this.smtp = smtp;
    this.email = email;
  }

  @Override
  public String name() {
    return "e-mail";
  }

  @Override
  public Future<Optional<DigestException>> send(DigestReport report, Instant now) {
    MailMessage message =
        new MailMessage()
            .setFrom(email.getFrom() != null ? email.getFrom() : "herald@" + smtp.host())
            .setTo(email.getTo())
            .setSubject(report.subject())
            .setText(report.text());
    return mailer
        .send(smtp.mailConfig(SEND_TIMEOUT), message, SEND_TIMEOUT)
        .map(sent -> Optional.<DigestException>empty())
        .otherwise(cause -> Optional.of(failure(cause)));
  }

  /**
   * Why the mail did not go out. What the Secret held is never in a message (status, Events, logs):
   * a library's error text is redacted of it.
   */
  private DigestException failure(Throwable cause) {
    String message;
    if (cause instanceof Egress.RefusedException) {
      // the reason names the address: for a literal host that is the Secret's value
      message =
          "SMTP host refused by the egress policy: "
              + SecretValues.redact(cause.getMessage(), smtp.secretValues());
    } else if (cause instanceof UnknownHostException) {
      message = "the SMTP host does not resolve";
    } else if (cause instanceof TimeoutException) {
      message = "SMTP: timed out after " + SEND_TIMEOUT.toSeconds() + "s";
    } else {
      message = "SMTP: " + SecretValues.redact(cause.getMessage(), smtp.secretValues());
    }
    return new DigestException(DigestReason.SendFailed, message);
  }
}
