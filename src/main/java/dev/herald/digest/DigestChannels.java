package dev.herald.digest;

import dev.herald.api.v1alpha1.DigestReason;
import dev.herald.api.v1alpha1.WebhookDigest;
import dev.herald.api.v1alpha1.WebhookDigestSpec;
import dev.herald.api.v1alpha1.WebhookDigestStatus;
import dev.herald.http.WebhookSender;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A digest's channels, read from its spec and Secrets, and a report sent on all of them at once.
 */
final class DigestChannels {
  private final DigestMailer mailer;
  private final WebhookSender sender;

  DigestChannels(DigestMailer mailer, WebhookSender sender) {
    this.mailer = mailer;
    this.sender = sender;
  }

  /**
   * Every channel, its settings read now: checked at every run, not only when there is something to
   * tell, so a person learns of a broken setup before the first bad day. The webhook's key is
   * resolved (and generated) even with nothing to tell, so a receiver can fetch it first; {@code
   * status} names its Secret.
   */
  List<DigestChannel> resolve(
      KubernetesClient client, WebhookDigest digest, WebhookDigestStatus status)
      throws DigestException {
    WebhookDigestSpec spec = digest.getSpec();
    List<DigestChannel> channels = new ArrayList<>();
    if (spec.getEmail() != null) {
      try {
        SmtpSettings smtp =
            SmtpSettings.read(client, digest.getMetadata().getNamespace(), spec.getEmail());
        channels.add(new EmailChannel(mailer, smtp, spec.getEmail()));
      } catch (DigestException e) {
        throw new DigestException(e.reason(), "e-mail: " + e.getMessage());
      }
    }
    if (spec.getWebhook() != null) {
      try {
        DigestSigning.Key signing = DigestSigning.resolve(client, digest);
        status.setSigningSecretName(signing.secretName());
        channels.add(
            new WebhookChannel(sender, client.getKubernetesSerialization(), digest, signing.key()));
      } catch (DigestException e) {
        throw new DigestException(e.reason(), "webhook: " + e.getMessage());
      }
    }
    return channels;
  }

  /**
   * Sends on every channel at once; completes, never fails, once all answered, with the failures in
   * channel order (empty when the report went out everywhere), each named by its channel.
   */
  static Future<List<DigestException>> sendAll(
      List<DigestChannel> channels, DigestReport report, Instant now) {
    List<Future<Optional<DigestException>>> sends = new ArrayList<>();
    for (DigestChannel channel : channels) {
      try {
        sends.add(channel.send(report, now));
      } catch (RuntimeException e) {
        // a request that cannot even be built (a spec the schema would refuse): a failed send,
        // never a run left open
        sends.add(Future.failedFuture(e));
      }
    }
    return Future.join(sends)
        .transform(
            all -> {
              List<DigestException> failures = new ArrayList<>();
              for (int i = 0; i < sends.size(); i++) {
                String name = channels.get(i).name();
                Future<Optional<DigestException>> send = sends.get(i);
                if (send.failed()) {
                  failures.add(
                      new DigestException(
                          DigestReason.SendFailed, name + ": " + send.cause().getMessage()));
                } else {
                  send.result()
                      .ifPresent(
                          e ->
                              failures.add(
                                  new DigestException(e.reason(), name + ": " + e.getMessage())));
                }
              }
              return Future.succeededFuture(failures);
            });
  }
}
