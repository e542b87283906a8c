package dev.herald.digest;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDigest;
import dev.herald.api.v1alpha1.WebhookDigestSpec;
import dev.herald.api.v1alpha1.WebhookDigestStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.egress.Egress;
import dev.herald.http.AttemptResult;
import dev.herald.http.WebhookRequest;
import dev.herald.http.WebhookSender;
import dev.herald.kube.Conditions;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.Fresh;
import dev.herald.kube.Patches;
import dev.herald.kube.Times;
import dev.herald.kube.UserSecrets;
import dev.herald.retry.Durations;
import dev.herald.signing.SigningKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a WebhookDigest's report at each interval: the namespace's failing endpoints and
 * unprocessed deliveries, by e-mail and/or to a notification webhook. Nothing is sent when there is
 * nothing to report. The next run time lives in {@code status.nextTime}, so a restarted operator
 * keeps the cadence. A failed send is recorded (condition, Warning Event) and retried after {@link
 * #RETRY}, or the interval if that is shorter; never a crash loop. SMTP credentials are read from
 * the Secret at each send and never written to status, Events or logs.
 */
@ControllerConfiguration(name = "webhookdigest")
public class WebhookDigestReconciler implements Reconciler<WebhookDigest> {
  /**
   * Deliveries that can still be unprocessed (Exhausted counts): Succeeded and Cancelled history,
   * most of all deliveries, is not fetched at all. Unlabelled ones come too and are judged by
   * status.
   */
  static final String NOT_DONE =
      Herald.LABEL_PHASE + " notin (" + Herald.PHASE_SUCCEEDED + "," + Herald.PHASE_CANCELLED + ")";

  public static final String SENT = "Sent";
  public static final String NOTHING = "NothingToReport";
  public static final String FAILED = "Failed";
  static final Duration RETRY = Duration.ofMinutes(5);
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDigestReconciler.class);

  private final WebhookSender sender;
  private final EventRecorder events;
  private final Clock clock;
  private final DigestMailer mailer;

  /**
   * Each run lists every endpoint and delivery of the namespace: a floor keeps that from running in
   * a loop.
   */
  private final Duration minInterval;

  public WebhookDigestReconciler(
      Vertx vertx,
      WebhookSender sender,
      EventRecorder events,
      Clock clock,
      Egress egress,
      Duration minInterval) {
    this.minInterval = minInterval;
    this.mailer = new DigestMailer(vertx, egress);
    this.sender = sender;
    this.events = events;
    this.clock = clock;
  }

  /** A digest that cannot be sent as configured: the reason is a condition reason. */
  static final class DigestException extends Exception {
    final String reason;

    DigestException(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  /** The digest's interval (default 24h), refused when shorter than {@code floor}. */
  static Duration interval(String text, Duration floor) {
    Duration interval = Durations.parse(text == null ? "24h" : text);
    if (interval.compareTo(floor) < 0) {
      throw new IllegalArgumentException(
          "must be at least " + Durations.format(floor) + ", got \"" + text + "\"");
    }
    return interval;
  }

  @Override
  public UpdateControl<WebhookDigest> reconcile(
      WebhookDigest digest, Context<WebhookDigest> context) {
    KubernetesClient client = context.getClient();
    Instant now = clock.instant();
    Long generation = digest.getMetadata().getGeneration();
    WebhookDigestStatus before =
        digest.getStatus() == null ? new WebhookDigestStatus() : digest.getStatus();
    WebhookDigestSpec spec = digest.getSpec() == null ? new WebhookDigestSpec() : digest.getSpec();

    Duration interval;
    try {
      interval = interval(spec.getInterval(), minInterval);
    } catch (IllegalArgumentException e) {
      return invalid(
          client, digest, before, "InvalidInterval", "spec.interval: " + e.getMessage(), now);
    }
    if (spec.getEmail() == null && spec.getWebhook() == null) {
      return invalid(
          client, digest, before, "NoChannel", "set spec.email, spec.webhook or both", now);
    }

    Instant next = Times.parse(before.getNextTime());
    boolean specChanged = !java.util.Objects.equals(before.getObservedGeneration(), generation);
    if (next != null && next.isAfter(now) && !specChanged) {
      return UpdateControl.<WebhookDigest>noUpdate()
          .rescheduleAfter(Duration.between(now, next).toMillis());
    }
    if (next != null && next.isAfter(now) && next.isAfter(now.plus(interval))) {
      next = now.plus(interval); // a shortened interval applies at once
    }
    if (next != null && next.isAfter(now)) {
      // spec changed, not yet due: record the generation and wait
      WebhookDigestStatus status = copy(before);
      status.setObservedGeneration(generation);
      status.setNextTime(Times.format(next));
      Patches.replaceStatus(client, WebhookDigest.class, digest, status);
      return UpdateControl.<WebhookDigest>noUpdate()
          .rescheduleAfter(Duration.between(now, next).toMillis());
    }

    // Due by the informer's copy, which may predate our own last write: a digest just sent would
    // go out twice. The API server's copy decides.
    WebhookDigest fresh = Fresh.read(client, digest);
    if (fresh == null) {
      return UpdateControl.noUpdate();
    }
    Instant freshNext =
        fresh.getStatus() == null ? null : Times.parse(fresh.getStatus().getNextTime());
    if (freshNext != null
        && freshNext.isAfter(now)
        && java.util.Objects.equals(fresh.getStatus().getObservedGeneration(), generation)) {
      return UpdateControl.<WebhookDigest>noUpdate()
          .rescheduleAfter(Duration.between(now, freshNext).toMillis());
    }

    String namespace = digest.getMetadata().getNamespace();
    WebhookDigestStatus status = copy(before);
    status.setObservedGeneration(generation);
    Duration retry = interval.compareTo(RETRY) < 0 ? interval : RETRY;
    MailConfig smtp = null;
    if (spec.getEmail() != null) {
      try {
        smtp = smtpConfig(client, namespace, spec.getEmail());
      } catch (DigestException e) {
        // checked at every run, not only when there is something to tell: a person learns of a
        // broken setup before the first bad day
        return failed(
            client, digest, before, status, e.reason, "e-mail: " + e.getMessage(), now, retry);
      }
    }
    DigestSigning.Key signing = null;
    if (spec.getWebhook() != null) {
      try {
        // also when there is nothing to tell: the receiver can fetch the key before the first
        // digest
        signing = DigestSigning.resolve(client, digest);
        status.setSigningSecretName(signing.secretName());
      } catch (DigestException e) {
        return failed(
            client, digest, before, status, e.reason, "webhook: " + e.getMessage(), now, retry);
      }
    }
    Set<String> only = spec.getEndpoints() == null ? Set.of() : new HashSet<>(spec.getEndpoints());
    DigestReport report =
        DigestReport.of(
            namespace,
            digest.getMetadata().getName(),
            now,
            only,
            client.resources(WebhookEndpoint.class).inNamespace(namespace).list().getItems(),
            client
                .resources(WebhookDelivery.class)
                .inNamespace(namespace)
                .withLabelSelector(NOT_DONE)
                .list()
                .getItems());

    Duration wait = interval;
    if (report.isEmpty()) {
      status.setLastResult(
          new WebhookDigestStatus.LastResult(
              NOTHING, "no failing endpoint, no unprocessed delivery", Times.format(now)));
      status.setConditions(
          Conditions.set(
              before.getConditions(),
              Conditions.READY,
              true,
              NOTHING,
              "nothing to report at " + Times.format(now),
              generation,
              now));
    } else {
      List<String> failures = new ArrayList<>();
      String reason = "SendFailed";
      if (spec.getEmail() != null) {
        try {
          sendEmail(smtp, spec.getEmail(), report);
        } catch (DigestException e) {
          failures.add("e-mail: " + e.getMessage());
          reason = e.reason;
        }
      }
      if (spec.getWebhook() != null) {
        try {
          sendWebhook(client, digest, spec.getWebhook().getUrl(), signing.key(), report, now);
        } catch (DigestException e) {
          failures.add("webhook: " + e.getMessage());
        }
      }
      String what =
          report.failingEndpoints().size()
              + " failing endpoint(s), "
              + report.unprocessedTotal()
              + " unprocessed deliveries";
      if (failures.isEmpty()) {
        status.setLastSentTime(Times.format(now));
        status.setLastResult(new WebhookDigestStatus.LastResult(SENT, what, Times.format(now)));
        status.setConditions(
            Conditions.set(
                before.getConditions(),
                Conditions.READY,
                true,
                SENT,
                "sent " + what,
                generation,
                now));
      } else {
        return failed(
            client, digest, before, status, reason, String.join("; ", failures), now, retry);
      }
    }
    Instant nextRun = now.plus(wait);
    status.setNextTime(Times.format(nextRun));
    Patches.replaceStatus(client, WebhookDigest.class, digest, status);
    return UpdateControl.<WebhookDigest>noUpdate()
        .rescheduleAfter(Math.max(1, Duration.between(clock.instant(), nextRun).toMillis()));
  }

  private UpdateControl<WebhookDigest> failed(
      KubernetesClient client,
      WebhookDigest digest,
      WebhookDigestStatus before,
      WebhookDigestStatus status,
      String reason,
      String message,
      Instant now,
      Duration retry) {
    status.setLastResult(new WebhookDigestStatus.LastResult(FAILED, message, Times.format(now)));
    status.setConditions(
        Conditions.set(
            before.getConditions(),
            Conditions.READY,
            false,
            reason,
            message,
            digest.getMetadata().getGeneration(),
            now));
    events.warning(digest, reason, message);
    LOG.warn(
        "digest {}/{} not sent: {}",
        digest.getMetadata().getNamespace(),
        digest.getMetadata().getName(),
        message);
    Instant nextRun = now.plus(retry);
    status.setNextTime(Times.format(nextRun));
    Patches.replaceStatus(client, WebhookDigest.class, digest, status);
    return UpdateControl.<WebhookDigest>noUpdate()
        .rescheduleAfter(Math.max(1, Duration.between(clock.instant(), nextRun).toMillis()));
  }

  private UpdateControl<WebhookDigest> invalid(
      KubernetesClient client,
      WebhookDigest digest,
      WebhookDigestStatus before,
      String reason,
      String message,
      Instant now) {
    WebhookDigestStatus status = copy(before);
    status.setObservedGeneration(digest.getMetadata().getGeneration());
    status.setNextTime(null);
    status.setConditions(
        Conditions.set(
            before.getConditions(),
            Conditions.READY,
            false,
            reason,
            message,
            digest.getMetadata().getGeneration(),
            now));
    if (Conditions.reasonChanged(
        before.getConditions(), status.getConditions(), Conditions.READY)) {
      events.warning(digest, reason, message);
    }
    Patches.replaceStatus(client, WebhookDigest.class, digest, status);
    return UpdateControl.noUpdate(); // a spec change triggers the next reconcile
  }

  /**
   * The SMTP settings from the Secret, read by the one rule for users' Secrets (marked for Herald,
   * or answered as missing); its values are never echoed, only its name and key names.
   */
  private static MailConfig smtpConfig(
      KubernetesClient client, String namespace, WebhookDigestSpec.Email email)
      throws DigestException {
    String secretName =
        email.getSmtpSecretRef() == null ? null : email.getSmtpSecretRef().getName();
    if (secretName == null || secretName.isBlank()) {
      throw new DigestException("SmtpSecretMissing", "spec.email.smtpSecretRef.name is not set");
    }
    Map<String, String> data;
    try {
      data = UserSecrets.read(client, namespace, secretName);
    } catch (UserSecrets.UnusableSecretException e) {
      throw new DigestException(
          e.unreadable() ? "SmtpSecretUnreadable" : "SmtpSecretMissing", "SMTP " + e.getMessage());
    }
    String host = data.get("host") == null ? null : data.get("host").trim();
    String port = data.get("port") == null ? null : data.get("port").trim();
    if (host == null || host.isEmpty() || port == null) {
      throw new DigestException(
          "SmtpSecretInvalid", "SMTP Secret " + secretName + " needs keys host and port");
    }
    MailConfig config = new MailConfig().setHostname(host).setKeepAlive(false);
    try {
      config.setPort(Integer.parseInt(port));
    } catch (NumberFormatException e) {
      throw new DigestException(
          "SmtpSecretInvalid", "SMTP Secret " + secretName + ": port is not a number");
    }
    String starttls = data.getOrDefault("starttls", "optional").trim().toUpperCase(Locale.ROOT);
    try {
      config.setStarttls(StartTLSOptions.valueOf(starttls));
    } catch (IllegalArgumentException e) {
      throw new DigestException(
          "SmtpSecretInvalid",
          "SMTP Secret " + secretName + ": starttls must be required, optional or disabled");
    }
    if (data.get("username") != null && !data.get("username").isBlank()) {
      config
          .setUsername(data.get("username"))
          .setPassword(data.getOrDefault("password", ""))
          .setLogin(LoginOption.REQUIRED);
    } else {
      config.setLogin(LoginOption.DISABLED);
    }
    config.setConnectTimeout((int) SEND_TIMEOUT.toMillis());
    return config;
  }

  private void sendEmail(MailConfig config, WebhookDigestSpec.Email email, DigestReport report)
      throws DigestException {
    String host = config.getHostname();
    // what the Secret held: never in a message (status, Events, logs); a library's error text is
    // redacted of it
    List<String> secretValues =
        java.util.Arrays.asList(
            host, String.valueOf(config.getPort()), config.getUsername(), config.getPassword());
    MailMessage message =
        new MailMessage()
            .setFrom(email.getFrom() != null ? email.getFrom() : "herald@" + host)
            .setTo(email.getTo())
            .setSubject(report.subject())
            .setText(report.text());
    // The SMTP host a namespace user names passes the same egress path as webhook URLs (one
    // lookup, every address checked, the connection to the checked address), or a digest could
    // reach internal services.
    try {
      mailer
          .send(config, message)
          .toCompletionStage()
          .toCompletableFuture()
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof Egress.RefusedException) {
        // the reason names the address: for a literal host that is the Secret's value
        throw new DigestException(
            "SendFailed",
            "SMTP host refused by the egress policy: "
                + UserSecrets.redact(cause.getMessage(), secretValues));
      }
      if (cause instanceof java.net.UnknownHostException) {
        throw new DigestException("SendFailed", "the SMTP host does not resolve");
      }
      throw new DigestException(
          "SendFailed", "SMTP: " + UserSecrets.redact(cause.getMessage(), secretValues));
    } catch (TimeoutException e) {
      throw new DigestException(
          "SendFailed", "SMTP: timed out after " + SEND_TIMEOUT.toSeconds() + "s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DigestException("SendFailed", "interrupted");
    }
  }

  private void sendWebhook(
      KubernetesClient client,
      WebhookDigest digest,
      String url,
      SigningKey key,
      DigestReport report,
      Instant now)
      throws DigestException {
    byte[] body =
        client.getKubernetesSerialization().asJson(report.json()).getBytes(StandardCharsets.UTF_8);
    WebhookRequest request =
        new WebhookRequest(
            url,
            "digest_" + digest.getMetadata().getUid() + "_" + now.getEpochSecond(),
            "herald.digest",
            body,
            Map.of(),
            List.of(key),
            SEND_TIMEOUT,
            now);
    AttemptResult result;
    try {
      result =
          sender
              .send(request)
              .toCompletableFuture()
              .get(SEND_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new DigestException(
          "SendFailed", String.valueOf(e.getCause() == null ? e : e.getCause().getMessage()));
    } catch (TimeoutException e) {
      throw new DigestException("SendFailed", "timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DigestException("SendFailed", "interrupted");
    }
    if (!result.succeeded()) {
      throw new DigestException(
          "SendFailed",
          result.errorClass() + (result.message() == null ? "" : ": " + result.message()));
    }
  }

  private static WebhookDigestStatus copy(WebhookDigestStatus s) {
    WebhookDigestStatus c = new WebhookDigestStatus();
    c.setLastSentTime(s.getLastSentTime());
    c.setNextTime(s.getNextTime());
    c.setLastResult(s.getLastResult());
    c.setSigningSecretName(s.getSigningSecretName());
    c.setObservedGeneration(s.getObservedGeneration());
    List<Condition> conditions = s.getConditions();
    c.setConditions(conditions == null ? null : new ArrayList<>(conditions));
    return c;
  }
}
