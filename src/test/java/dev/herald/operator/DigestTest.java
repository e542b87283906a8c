package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.DigestReason;
import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.SecretKeyRef;
import dev.herald.api.v1alpha1.WebhookDigest;
import dev.herald.api.v1alpha1.WebhookDigestSpec;
import dev.herald.api.v1alpha1.WebhookDigestStatus;
import dev.herald.digest.DigestSigning;
import dev.herald.kube.Times;
import dev.herald.signing.SecretGenerator;
import dev.herald.testing.SmtpSink;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A WebhookDigest tells a person, by e-mail (a real SMTP server on 127.0.0.1) or webhook, what is
 * stuck.
 */
@EnableKubernetesMockClient(crud = true)
class DigestTest extends OperatorTestBase {
  private SmtpSink smtp;
  private TestReceiver sink;

  @BeforeEach
  void startSinks() {
    smtp = new SmtpSink();
    sink = new TestReceiver();
  }

  @AfterEach
  void stopSinks() {
    smtp.close();
    sink.close();
  }

  @Test
  void anEmailDigestListsTheFailingEndpointAndTheExhaustedDeliveryByName() {
    breakBilling();
    create(smtpSecret("smtp"));
    create(digest("ops", "1h", emailVia("smtp"), null));

    await().atMost(WAIT).until(() -> smtp.mails().size() == 1);
    SmtpSink.Mail mail = smtp.mails().get(0);
    assertThat(mail.from()).isEqualTo("herald@example.com");
    assertThat(mail.to()).containsExactly("oncall@example.com");
    assertThat(mail.data())
        .contains(
            "Subject: Herald digest for " + ns + ": 1 failing endpoint(s), 1 unprocessed delivery")
        .contains("billing: 1 consecutive failures")
        .contains("gone-1 -> billing: Exhausted, 1 attempt(s)")
        .contains("Gone");

    WebhookDigest d = awaitResult("ops", "Sent");
    assertThat(d.getStatus().getLastSentTime()).isNotNull();
    Instant next = Times.parse(d.getStatus().getNextTime());
    assertThat(next)
        .isBetween(
            Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
    assertThat(d.getStatus().getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("Sent");
            });
  }

  @Test
  void nothingIsSentWhenAllIsHealthy() {
    create(endpoint(ns, "crm", receiver.url("/crm"), "1s"));
    create(delivery(ns, "ok-1", "crm", "{}"));
    awaitPhase("ok-1", DeliveryPhase.Succeeded);
    create(smtpSecret("smtp"));
    create(digest("ops", "1s", emailVia("smtp"), webhookTo(sink.url("/digest"))));

    WebhookDigest d = awaitResult("ops", "NothingToReport");
    assertThat(d.getStatus().getLastSentTime()).isNull();
    // several intervals go by: still nothing to tell, nothing told
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> smtp.mails().isEmpty() && sink.received().isEmpty());
  }

  @Test
  void theIntervalIsHonouredAndTheWebhookDigestIsJson() {
    breakBilling();
    create(digest("ops", "2s", null, webhookTo(sink.url("/digest"))));

    await().atMost(WAIT).until(() -> sink.received().size() == 1);
    Instant first = sink.received().get(0).at();
    TestReceiver.Received r = sink.received().get(0);
    assertThat(r.header("content-type")).startsWith("application/json");
    assertThat(r.header("webhook-event-type")).isEqualTo("herald.digest");
    var body =
        client
            .getKubernetesSerialization()
            .unmarshal(r.bodyText(), com.fasterxml.jackson.databind.JsonNode.class);
    assertThat(body.get("namespace").asText()).isEqualTo(ns);
    assertThat(body.get("unprocessedTotal").asInt()).isEqualTo(1);
    assertThat(body.get("omitted").asInt()).isZero();
    assertThat(body.get("failingEndpoints"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.get("name").asText()).isEqualTo("billing");
              assertThat(e.get("consecutiveFailures").asInt()).isEqualTo(1);
            });
    assertThat(body.get("unprocessedDeliveries"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.get("name").asText()).isEqualTo("gone-1");
              assertThat(e.get("phase").asText()).isEqualTo("Exhausted");
            });

    // not again before the interval is up, then again once it is, judged by the receipts alone
    // (a window measured from this thread's own wake-up fails whenever the machine is slow)
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.received().size() == 2);
    // receipts, not run starts: a slow first send shortens the gap between them
    Duration gap = Duration.between(first, sink.received().get(1).at());
    assertThat(gap)
        .isGreaterThanOrEqualTo(Duration.ofMillis(1000))
        .isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void aMissingSmtpSecretIsAConditionAndAnEventThenRecovers() {
    create(digest("ops", "1s", emailVia("absent"), null));

    await().atMost(WAIT).until(() -> "SmtpSecretMissing".equals(readyReasonOf("ops")));
    WebhookDigest d = get("ops");
    assertThat(d.getStatus().getLastResult().getResult()).isEqualTo("Failed");
    assertThat(d.getStatus().getLastResult().getMessage()).contains("SMTP Secret absent not found");
    assertThat(d.getStatus().getConditions().get(0).getStatus()).isEqualTo("False");
    await()
        .atMost(WAIT)
        .until(
            () ->
                herald.events(ns, "ops").stream()
                    .anyMatch(
                        e ->
                            "Warning".equals(e.getType())
                                && "SmtpSecretMissing".equals(e.getReason())));

    // no crash loop: the operator keeps going and picks the Secret up at the next run
    create(smtpSecret("absent"));
    awaitResult("ops", "NothingToReport");
    assertThat(readyReasonOf("ops")).isEqualTo("NothingToReport");
  }

  @Test
  void theNotificationWebhookMustPassTheEgressPolicy() {
    breakBilling();
    // loopback, but not the 127.0.0.1/32 the test operator's egress policy opens
    create(digest("ops", "1h", null, webhookTo("http://127.0.0.2:" + sink.url("/").split(":")[2])));
    WebhookDigest d = awaitResult("ops", "Failed");
    assertThat(d.getStatus().getLastResult().getMessage()).startsWith("webhook: ");
    assertThat(readyReasonOf("ops")).isEqualTo("SendFailed");
    assertThat(Times.parse(d.getStatus().getNextTime()))
        .isBefore(Instant.now().plus(Duration.ofMinutes(6)));
    assertThat(sink.received()).isEmpty();
  }

  @Test
  void theSmtpHostMustPassTheEgressPolicyAndIsNotEchoed() {
    breakBilling();
    create(smtpSecret("internal-smtp", "127.0.0.2", smtp.port(), true));
    create(digest("ops", "1h", emailVia("internal-smtp"), null));
    WebhookDigest d = awaitResult("ops", "Failed");
    assertThat(d.getStatus().getLastResult().getMessage()).contains("egress policy");
    assertThat(smtp.mails()).isEmpty();
    // the host is a value of the Secret: status and Events do not repeat it
    await().atMost(WAIT).until(() -> !herald.events(ns, "ops").isEmpty());
    assertThat(client.getKubernetesSerialization().asJson(get("ops").getStatus()))
        .doesNotContain("127.0.0.2");
    assertThat(herald.events(ns, "ops"))
        .allSatisfy(e -> assertThat(e.getMessage()).doesNotContain("127.0.0.2"));
  }

  /**
   * A send that fails names nothing read from the Secret: not the host, the port, the user or the
   * password.
   */
  @Test
  void aFailedSendEchoesNoValueOfTheSmtpSecret() throws Exception {
    breakBilling();
    int closed;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    create(
        new SecretBuilder()
            .withNewMetadata()
            .withName("smtp")
            .withNamespace(ns)
            .withLabels(Map.of(Herald.LABEL_USABLE, Herald.USABLE))
            .endMetadata()
            .withData(
                Map.of(
                    "host",
                    b64("127.0.0.1"),
                    "port",
                    b64(String.valueOf(closed)),
                    "starttls",
                    b64("disabled"),
                    "username",
                    b64("smtp-user-name"),
                    "password",
                    b64("smtp-password-value")))
            .build());
    create(digest("ops", "1h", emailVia("smtp"), null));
    WebhookDigest d = awaitResult("ops", "Failed");
    assertThat(d.getStatus().getLastResult().getMessage()).startsWith("e-mail: SMTP: ");
    await().atMost(WAIT).until(() -> !herald.events(ns, "ops").isEmpty());
    String everything =
        client.getKubernetesSerialization().asJson(get("ops").getStatus())
            + client.getKubernetesSerialization().asJson(herald.events(ns, "ops"));
    for (String value :
        List.of("127.0.0.1", String.valueOf(closed), "smtp-user-name", "smtp-password-value")) {
      assertThat(everything).doesNotContain(value);
    }
  }

  /**
   * An SMTP Secret nobody marked for Herald is answered exactly like one that does not exist, and
   * not used.
   */
  @Test
  void anUnmarkedSmtpSecretIsAnsweredLikeAMissingOne() {
    breakBilling();
    String other = dev.herald.testing.OperatorHarness.freshNamespace();
    create(smtpSecret("smtp", "127.0.0.1", smtp.port(), false));
    create(digest("ops", "1h", emailVia("smtp"), null));
    WebhookDigest missing = digest("ops", "1h", emailVia("smtp"), null);
    missing.getMetadata().setNamespace(other);
    create(missing);

    WebhookDigest unmarked = awaitResult("ops", "Failed");
    await()
        .atMost(WAIT)
        .until(
            () -> {
              WebhookDigest m =
                  client.resources(WebhookDigest.class).inNamespace(other).withName("ops").get();
              return m.getStatus() != null && m.getStatus().getLastResult() != null;
            });
    WebhookDigest absent =
        client.resources(WebhookDigest.class).inNamespace(other).withName("ops").get();
    assertThat(unmarked.getStatus().getLastResult().getMessage())
        .isEqualTo(absent.getStatus().getLastResult().getMessage())
        .contains("herald.dev/usable=true");
    assertThat(unmarked.getStatus().getConditions().get(0).getReason())
        .isEqualTo("SmtpSecretMissing")
        .isEqualTo(absent.getStatus().getConditions().get(0).getReason());
    assertThat(unmarked.getStatus().getConditions().get(0).getMessage())
        .isEqualTo(absent.getStatus().getConditions().get(0).getMessage());
    assertThat(smtp.mails()).isEmpty();
  }

  /**
   * An object stored past the schema (or before its floor): refused by the operator, and nothing
   * runs.
   */
  @Test
  void anIntervalUnderTheFloorIsInvalidAndNothingIsSent() {
    breakBilling();
    create(digest("ops", "1ms", null, webhookTo(sink.url("/digest"))));
    await().atMost(WAIT).until(() -> "InvalidInterval".equals(readyReasonOf("ops")));
    assertThat(get("ops").getStatus().getConditions().get(0).getMessage())
        .contains("spec.interval")
        .contains("at least 1s");
    await()
        .atMost(WAIT)
        .until(
            () ->
                herald.events(ns, "ops").stream()
                    .anyMatch(
                        e ->
                            "Warning".equals(e.getType())
                                && "InvalidInterval".equals(e.getReason())));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> sink.received().isEmpty());
  }

  @Test
  void theWebhookDigestIsSignedWithAGeneratedKeyTheReceiverCanRead() throws Exception {
    breakBilling();
    create(digest("ops", "1h", null, webhookTo(sink.url("/digest"))));

    await().atMost(WAIT).until(() -> sink.received().size() == 1);
    WebhookDigest d = awaitResult("ops", "Sent");
    String secretName = d.getStatus().getSigningSecretName();
    assertThat(secretName).isEqualTo(DigestSigning.generatedName(d)).startsWith("ops-signing-");
    Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(Herald.LABEL_DIGEST_UID, d.getMetadata().getUid());
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(d.getMetadata().getUid()));

    // What a receiver does: read the key from the Secret and verify with a Standard Webhooks
    // library.
    verify(sink.received().get(0), secretValue(secretName, "secret"));
    assertThatThrownBy(() -> verify(sink.received().get(0), SecretGenerator.generate()))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void aSecretRefKeySignsTheWebhookDigestAndNothingIsGenerated() throws Exception {
    breakBilling();
    String key = SecretGenerator.generate();
    create(
        new SecretBuilder()
            .withNewMetadata()
            .withName("digest-key")
            .withNamespace(ns)
            .addToLabels("herald.dev/usable", "true")
            .endMetadata()
            .withData(Map.of("hmac", b64(key)))
            .build());
    WebhookDigestSpec.Webhook webhook = webhookTo(sink.url("/digest"));
    webhook.setSecretRef(new SecretKeyRef("digest-key", "hmac"));
    create(digest("ops", "1h", null, webhook));

    await().atMost(WAIT).until(() -> sink.received().size() == 1);
    verify(sink.received().get(0), key);
    WebhookDigest d = awaitResult("ops", "Sent");
    assertThat(d.getStatus().getSigningSecretName()).isEqualTo("digest-key");
    assertThat(client.secrets().inNamespace(ns).withName(DigestSigning.generatedName(d)).get())
        .isNull();
  }

  @Test
  void aBadSigningSecretRefIsAConditionAndNothingIsSent() {
    breakBilling();
    userSecret("not-a-key", "secret", "hunter2");
    WebhookDigestSpec.Webhook webhook = webhookTo(sink.url("/digest"));
    webhook.setSecretRef(new SecretKeyRef("not-a-key", null));
    create(digest("ops", "1h", null, webhook));

    WebhookDigest d = awaitResult("ops", "Failed");
    assertThat(readyReasonOf("ops")).isEqualTo(DigestReason.SigningSecretInvalid.name());
    assertThat(d.getStatus().getLastResult().getMessage())
        .isEqualTo(
            "webhook: signing Secret not-a-key: key secret is not a whsec_ signing secret nor a"
                + " whsk_ ed25519 secret key")
        .doesNotContain("hunter2");
    assertThat(sink.received()).isEmpty();
  }

  @Test
  void aSecretOfTheGeneratedNameThatHeraldDidNotMakeIsNotAdopted() {
    breakBilling();
    // No channel yet, so nothing is generated; the name is known once the digest has its uid.
    WebhookDigest d = create(digest("ops", "1h", null, null));
    await().atMost(WAIT).until(() -> "NoChannel".equals(readyReasonOf("ops")));
    String name = DigestSigning.generatedName(d);
    String planted = SecretGenerator.generate();
    userSecret(name, "secret", planted);
    client
        .resources(WebhookDigest.class)
        .inNamespace(ns)
        .withName("ops")
        .edit(
            x -> {
              x.getSpec().setWebhook(webhookTo(sink.url("/digest")));
              return x;
            });

    await()
        .atMost(WAIT)
        .until(() -> DigestReason.SigningSecretConflict.name().equals(readyReasonOf("ops")));
    assertThat(get("ops").getStatus().getLastResult().getMessage())
        .contains(name)
        .contains("not generated by Herald");
    assertThat(sink.received()).isEmpty();
    Secret untouched = client.secrets().inNamespace(ns).withName(name).get();
    assertThat(untouched.getMetadata().getLabels()).doesNotContainKey(Herald.LABEL_DIGEST_UID);
    assertThat(untouched.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void withoutEmailOrWebhookTheDigestSaysSo() {
    create(digest("ops", "1s", null, null));
    await().atMost(WAIT).until(() -> "NoChannel".equals(readyReasonOf("ops")));
  }

  /**
   * Sends never hold a reconcile thread: with one thread, while an SMTP server that never answers
   * and a receiver that holds the POST keep two digests' sends open, another digest goes out and a
   * delivery succeeds at once. The open runs write nothing until they are answered, so a crash in
   * between would send them again. The SMTP send ends at its own time bound.
   */
  @Test
  void aHangingSmtpServerOrReceiverHoldsNoReconcileThread() throws Exception {
    herald.stop();
    herald.start(
        dev.herald.testing.OperatorHarness.testConfig().toBuilder().reconcileThreads(1).build());
    breakBilling();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (TestReceiver hanging = new TestReceiver().holdUntil(release);
        SilentServer silentSmtp = new SilentServer()) {
      create(smtpSecret("silent", "127.0.0.1", silentSmtp.port(), true));
      create(digest("slow-mail", "1h", emailVia("silent"), null));
      create(digest("slow-hook", "1h", null, webhookTo(hanging.url("/digest"))));
      await()
          .atMost(WAIT)
          .until(() -> silentSmtp.accepted() == 1 && hanging.received().size() == 1);

      Instant open = Instant.now();
      create(digest("quick", "1h", null, webhookTo(sink.url("/digest"))));
      create(endpoint(ns, "crm", sink.url("/crm"), "1s"));
      create(delivery(ns, "ok-1", "crm", "{}"));
      Duration prompt = Duration.ofSeconds(20); // a blocked thread would take 30 s per send
      await()
          .atMost(prompt)
          .until(
              () ->
                  sink.receivedOn("/digest").size() == 1
                      && hasResult(get("quick"), "Sent")
                      && herald.delivery(ns, "ok-1").getStatus() != null
                      && herald.delivery(ns, "ok-1").getStatus().getPhase()
                          == DeliveryPhase.Succeeded);
      assertThat(Duration.between(open, Instant.now())).isLessThan(prompt);
      for (String slow : List.of("slow-mail", "slow-hook")) {
        WebhookDigestStatus status = get(slow).getStatus();
        assertThat(status == null ? null : status.getNextTime()).as(slow).isNull();
        assertThat(status == null ? null : status.getLastResult()).as(slow).isNull();
      }

      release.countDown();
      awaitResult("slow-hook", "Sent");
      // the silent server would hold the connection forever: the send's own bound ends it
      await().atMost(Duration.ofSeconds(60)).until(() -> hasResult(get("slow-mail"), "Failed"));
      WebhookDigest mail = get("slow-mail");
      assertThat(mail.getStatus().getLastResult().getMessage())
          .isEqualTo("e-mail: SMTP: timed out after 30s");
      assertThat(readyReasonOf("slow-mail")).isEqualTo(DigestReason.SendFailed.name());
      assertThat(Times.parse(mail.getStatus().getNextTime()))
          .isBefore(Instant.now().plus(Duration.ofMinutes(6)));
    }
  }

  /** Accepts connections and never says a word: an SMTP server that hangs before its greeting. */
  private static final class SilentServer implements AutoCloseable {
    private final java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
    private final List<java.net.Socket> open = new java.util.concurrent.CopyOnWriteArrayList<>();

    SilentServer() throws java.io.IOException {
      Thread accept =
          new Thread(
              () -> {
                try {
                  while (true) {
                    open.add(socket.accept());
                  }
                } catch (java.io.IOException closed) {
                  // closed: stop accepting
                }
              },
              "silent-smtp");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int accepted() {
      return open.size();
    }

    @Override
    public void close() throws java.io.IOException {
      socket.close();
      for (java.net.Socket s : open) {
        s.close();
      }
    }
  }

  /** Endpoint billing answers 410: its delivery gone-1 is Exhausted and the endpoint Failing. */
  @Test
  void theDigestDoesNotFetchSucceededOrCancelledDeliveries() throws InterruptedException {
    breakBilling();
    create(digest("ops", "1h", null, webhookTo(sink.url("/digest"))));
    await().atMost(WAIT).until(() -> sink.received().size() == 1);

    // history can be most deliveries: the list asks the API server for the ones that can be
    // unprocessed
    String lists = "/apis/herald.dev/v1alpha1/namespaces/" + ns + "/webhookdeliveries";
    java.util.List<String> seen = new java.util.ArrayList<>();
    io.fabric8.mockwebserver.http.RecordedRequest r;
    while ((r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
      if ("GET".equals(r.getMethod())
          && (r.getPath().equals(lists) || r.getPath().startsWith(lists + "?"))) {
        seen.add(java.net.URLDecoder.decode(r.getPath(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    assertThat(seen)
        .isNotEmpty()
        .allMatch(
            path -> path.contains("labelSelector=herald.dev/phase notin (Succeeded,Cancelled)"));
  }

  private static void verify(TestReceiver.Received received, String key)
      throws WebhookVerificationException {
    new Webhook(key)
        .verify(
            received.bodyText(),
            HttpHeaders.of(
                Map.of(
                    "webhook-id", List.of(received.header("webhook-id")),
                    "webhook-timestamp", List.of(received.header("webhook-timestamp")),
                    "webhook-signature", List.of(received.header("webhook-signature"))),
                (name, value) -> true));
  }

  private void breakBilling() {
    receiver.always(Response.of(410, "gone"));
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s"));
    create(delivery(ns, "gone-1", "billing", "{}"));
    awaitPhase("gone-1", DeliveryPhase.Exhausted);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var e = herald.endpoint(ns, "billing");
              return e.getStatus() != null && e.getStatus().getPhase() == EndpointPhase.Failing;
            });
  }

  private io.fabric8.kubernetes.api.model.Secret smtpSecret(String name) {
    return smtpSecret(name, "127.0.0.1", smtp.port(), true);
  }

  private io.fabric8.kubernetes.api.model.Secret smtpSecret(
      String name, String host, int port, boolean marked) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .withLabels(marked ? Map.of(Herald.LABEL_USABLE, Herald.USABLE) : Map.of())
        .endMetadata()
        .withData(
            Map.of(
                "host", b64(host), "port", b64(String.valueOf(port)), "starttls", b64("disabled")))
        .build();
  }

  private static String b64(String s) {
    return java.util.Base64.getEncoder()
        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static WebhookDigestSpec.Email emailVia(String secret) {
    WebhookDigestSpec.Email email = new WebhookDigestSpec.Email();
    email.setTo(List.of("oncall@example.com"));
    email.setFrom("herald@example.com");
    email.setSmtpSecretRef(new WebhookDigestSpec.SmtpSecretRef(secret));
    return email;
  }

  private static WebhookDigestSpec.Webhook webhookTo(String url) {
    WebhookDigestSpec.Webhook webhook = new WebhookDigestSpec.Webhook();
    webhook.setUrl(url);
    return webhook;
  }

  private WebhookDigest digest(
      String name,
      String interval,
      WebhookDigestSpec.Email email,
      WebhookDigestSpec.Webhook webhook) {
    WebhookDigest d = new WebhookDigest();
    d.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    WebhookDigestSpec spec = new WebhookDigestSpec();
    spec.setInterval(interval);
    spec.setEmail(email);
    spec.setWebhook(webhook);
    d.setSpec(spec);
    return d;
  }

  private WebhookDigest get(String name) {
    return client.resources(WebhookDigest.class).inNamespace(ns).withName(name).get();
  }

  private String readyReasonOf(String name) {
    WebhookDigest d = get(name);
    return d == null || d.getStatus() == null || d.getStatus().getConditions() == null
        ? null
        : d.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .map(c -> c.getReason())
            .findFirst()
            .orElse(null);
  }

  private static boolean hasResult(WebhookDigest d, String result) {
    WebhookDigestStatus s = d == null ? null : d.getStatus();
    return s != null && s.getLastResult() != null && result.equals(s.getLastResult().getResult());
  }

  private WebhookDigest awaitResult(String name, String result) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              WebhookDigest d = get(name);
              WebhookDigestStatus s = d == null ? null : d.getStatus();
              return s != null
                  && s.getLastResult() != null
                  && result.equals(s.getLastResult().getResult());
            });
    return get(name);
  }
}
