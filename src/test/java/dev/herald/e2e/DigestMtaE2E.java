package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.Postfix;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seeds' daily alert of unprocessed events by e-mail, through a real MTA (Debian's Postfix on
 * 127.0.0.1) rather than a test sink: the digest is accepted, queued and delivered to a mailbox,
 * and the delivered message lists each failing endpoint and each unprocessed delivery.
 */
class DigestMtaE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("digest-mta");

  static Postfix mta;

  @BeforeAll
  static void start() throws Exception {
    mta = Postfix.start(Files.createTempDirectory("herald-postfix-"));
    env.startOperator();
  }

  @AfterAll
  static void stop() {
    if (mta != null) {
      mta.close();
    }
  }

  @Test
  void theDigestIsDeliveredByPostfixAndListsWhatFailed() {
    TestReceiver gone = env.receiver().always(Response.of(410, "gone"));
    TestReceiver down = env.receiver().always(Response.of(503, "down"));
    env.apply(endpoint("billing", gone.url("/hook"), "1s"));
    env.apply(endpoint("shipping", down.url("/hook"), "1h"));
    env.apply(delivery("invoice-1", "billing", "{\"invoice\": 1}"));
    env.apply(delivery("parcel-7", "shipping", "{\"parcel\": 7}"));
    env.awaitDeliveryPhase("invoice-1", "Exhausted");
    env.awaitDeliveryPhase("parcel-7", "Failed");
    env.awaitField("whe", "billing", ".status.phase", "Failing"::equals);
    env.awaitField("whe", "shipping", ".status.phase", "Failing"::equals);

    env.apply(
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: relay
          labels: {herald.dev/usable: "true"}
        stringData:
          host: 127.0.0.1
          port: "%d"
          starttls: disabled
        """
            .formatted(mta.port()));
    env.apply(
        """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookDigest
        metadata:
          name: ops
        spec:
          interval: 24h
          email:
            to: [oncall@%s]
            from: herald@%s
            smtpSecretRef: {name: relay}
        """
            .formatted(Postfix.DOMAIN, Postfix.DOMAIN));

    env.awaitField("whdg", "ops", ".status.lastResult.result", "Sent"::equals);
    await()
        .atMost(E2EEnvironment.WAIT)
        .alias("postfix delivered the digest; its log: " + mta.log())
        .until(() -> mta.delivered().size() == 1);
    String mail = mta.delivered().get(0);
    assertThat(mail)
        .contains("Delivered-To: oncall@" + Postfix.DOMAIN)
        .contains(
            "Subject: Herald digest for "
                + env.ns()
                + ": 2 failing endpoint(s), 2 unprocessed deliveries")
        .contains("- billing: ", "- shipping: ")
        .contains("- invoice-1 -> billing", "- parcel-7 -> shipping");
    assertThat(mta.log()).contains("status=sent");
  }
}
