package dev.herald.delivery;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.delivery.AttemptsInFlight.Attempt;
import dev.herald.delivery.DeliveryStatuses.Size;
import dev.herald.endpoint.EndpointHealth;
import dev.herald.http.AttemptResult;
import dev.herald.kube.Fresh;
import dev.herald.kube.StatusWrites;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.retry.DeliveryProgress;
import dev.herald.retry.DeliveryStateMachine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a parked attempt result ({@link AttemptsInFlight}) to its delivery's status, exactly once:
 * a write that fails leaves the result parked for a later try, without sending the attempt again.
 * The endpoint's health, the metrics and the log line take each attempt into account once.
 */
final class AttemptRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRecorder.class);

  /** What the API server answers when a JSON Patch "test" fails. */
  private static final int UNPROCESSABLE = 422;

  /** Longest wait between tries to record a parked result when status writes keep failing. */
  static final Duration MAX_WRITE_BACKOFF = Duration.ofSeconds(30);

  private final AttemptsInFlight attempts;
  private final DeliveryWrites writes;
  private final EndpointHealth health;
  private final HeraldMetrics metrics;
  private final Clock clock;

  AttemptRecorder(
      AttemptsInFlight attempts,
      DeliveryWrites writes,
      EndpointHealth health,
      HeraldMetrics metrics,
      Clock clock) {
    this.attempts = attempts;
    this.writes = writes;
    this.health = health;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Records the finished {@code attempt} of {@code cached}; returns when to look at the delivery
   * again (null: on events only).
   */
  Duration record(WebhookDelivery cached, Attempt attempt, KubernetesClient client) {
    String uid = cached.getMetadata().getUid();
    var sent = attempt.sent();
    AttemptResult result = attempt.returned().result();
    DeliveryProgress after =
        DeliveryStateMachine.afterAttempt(
            sent.webhookId(),
            sent.before(),
            DeliveryStatuses.outcomeOf(result),
            sent.policy(),
            sent.started(),
            attempt.returned().finished());
    if (attempts.healthPending(uid)) {
      // once per attempt, however many tries its status write takes
      reportHealth(attempt, after);
      attempts.healthReported(uid);
    }
    WebhookDelivery base = sent.base();
    WebhookDeliveryStatus written = null;
    String refused; // why the full status cannot be written
    try {
      try {
        // Usually nothing touched the delivery while its request was open: write without reading
        // first.
        written = status(base, attempt, after, Size.FULL, null);
        refused = tryWrite(client, base, written);
      } catch (KubernetesClientException e) {
        if (StatusWrites.neverSucceeds(e)
            || e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != UNPROCESSABLE) {
          throw e;
        }
        WebhookDelivery fresh = Fresh.read(client, cached);
        if (fresh == null) {
          attempts.forget(uid);
          return null;
        }
        if (!DeliveryStatuses.sameStatus(fresh, sent.base())) {
          // Only this operator writes status, so this takes a second writer (e.g. a replica that
          // wrongly believed it led): do not overwrite its record; decide afresh.
          LOG.warn(
              "delivery {}/{}: status changed while attempt {} was open; its result is not recorded",
              fresh.getMetadata().getNamespace(),
              fresh.getMetadata().getName(),
              after.attempts());
          attempts.forget(uid);
          return Duration.ZERO;
        }
        base = fresh; // labels or annotations changed: fine
        written = status(base, attempt, after, Size.FULL, null);
        refused = tryWrite(client, base, written);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        attempts.forget(uid); // deleted while its request was open: nothing left to record
        return null;
      }
      if (!StatusWrites.neverSucceeds(e)) {
        return writeLater(cached, uid, e);
      }
      refused = DeliveryWrites.refusal(e);
    }
    if (refused != null) {
      try {
        written = smaller(client, base, attempt, after, refused);
      } catch (KubernetesClientException again) {
        return writeLater(cached, uid, again);
      }
      if (written == null) {
        attempts.forget(uid);
        return null;
      }
      after = DeliveryStatuses.progressOf(written);
    }
    attempts.forget(uid);
    logAndCount(base, attempt, after);
    // a finished phase label takes the delivery out of this controller's cache
    writes.labels(client, base, written);
    return after.nextAttemptTime() == null
        ? null
        : DeliveryDecision.wakeAfter(clock.instant(), after.nextAttemptTime());
  }

  /** Writes {@code status} unless it is over the size limit; returns why not, or null. */
  private String tryWrite(
      KubernetesClient client, WebhookDelivery base, WebhookDeliveryStatus status) {
    String over =
        StatusWrites.overLimit(
            client.getKubernetesSerialization(), base.getMetadata(), base.getSpec(), status);
    if (over == null) {
      writes.statusIfUnchanged(client, base, status);
    }
    return over;
  }

  private static WebhookDeliveryStatus status(
      WebhookDelivery base, Attempt attempt, DeliveryProgress after, Size size, String refused) {
    return DeliveryStatuses.afterAttempt(
        attempt.sent().sendStatus(),
        after,
        attempt.returned().result(),
        attempt.sent().started(),
        attempt.returned().finished(),
        base.getMetadata().getGeneration(),
        size,
        refused);
  }

  /**
   * The attempt's status cannot be written as it is (too large beside a large payload, or refused
   * by the schema), so the same write can never succeed. First the status is compacted to the
   * newest attempt record, and the delivery goes on. If that is refused too, a minimal status ends
   * the delivery (Exhausted, reason StatusRejected; Succeeded if this attempt was delivered): its
   * attempts could never be recorded, so none is sent again. If not even that fits, an Event says
   * so and the delivery is left alone while this process runs.
   *
   * @return the status written, or null when nothing could be
   */
  private WebhookDeliveryStatus smaller(
      KubernetesClient client,
      WebhookDelivery base,
      Attempt attempt,
      DeliveryProgress after,
      String why) {
    WebhookDeliveryStatus compacted = status(base, attempt, after, Size.COMPACT, why);
    try {
      if (tryWrite(client, base, compacted) == null) {
        return compacted;
      }
    } catch (KubernetesClientException e) {
      if (!StatusWrites.neverSucceeds(e)) {
        throw e;
      }
    }
    WebhookDeliveryStatus terminal = status(base, attempt, after, Size.MINIMAL, why);
    AttemptResult result = attempt.returned().result();
    String ended =
        "; attempt "
            + terminal.getAttempts()
            + " ended "
            + (result.succeeded() ? "HTTP " + result.statusCode() : result.errorClass());
    try {
      String over = tryWrite(client, base, terminal);
      if (over == null) {
        return terminal;
      }
      writes.giveUp(base, "not even a minimal status fits beside its spec (" + over + ")" + ended);
    } catch (KubernetesClientException e) {
      if (!StatusWrites.neverSucceeds(e)) {
        throw e;
      }
      writes.giveUp(
          base,
          "the API server refuses even a minimal status ("
              + DeliveryWrites.refusal(e)
              + ")"
              + ended);
    }
    return null;
  }

  private Duration writeLater(WebhookDelivery cached, String uid, KubernetesClientException e) {
    Duration backoff = writeBackoff(attempts.writeFailed(uid));
    LOG.warn(
        "delivery {}/{}: attempt result not recorded yet ({} {}); trying again in {}",
        cached.getMetadata().getNamespace(),
        cached.getMetadata().getName(),
        e.getCode(),
        e.getStatus() == null ? e.getMessage() : e.getStatus().getReason(),
        backoff);
    return backoff;
  }

  static Duration writeBackoff(int failures) {
    long millis = 500L << Math.min(failures - 1, 10);
    return millis > MAX_WRITE_BACKOFF.toMillis() ? MAX_WRITE_BACKOFF : Duration.ofMillis(millis);
  }

  private void reportHealth(Attempt attempt, DeliveryProgress after) {
    var endpoint = attempt.sent().endpoint();
    try {
      health.record(
          endpoint,
          DeliveryStatuses.errorOf(attempt.returned().result()),
          after.phase() == DeliveryPhase.Exhausted,
          attempt.returned().finished(),
          EndpointHealth.recentAttempt(
              attempt.sent().webhookId(),
              eventOf(attempt.sent().base()),
              attempt.sent().base().getMetadata().getName(),
              after.attempts(),
              attempt.sent().started(),
              attempt.returned().result()));
    } catch (RuntimeException e) {
      // Failing the reconcile here would send the same attempt again; endpoint health is advisory.
      LOG.warn(
          "endpoint {}: health not recorded: {}", endpoint.getMetadata().getName(), e.getMessage());
    }
  }

  /** The WebhookEvent that fanned the delivery out, by its owner reference; null if none. */
  static String eventOf(WebhookDelivery delivery) {
    return delivery.getMetadata().getOwnerReferences().stream()
        .filter(o -> HasMetadata.getKind(WebhookEvent.class).equals(o.getKind()))
        .map(OwnerReference::getName)
        .findFirst()
        .orElse(null);
  }

  /** Metrics and the log line: once per attempt, after its status is written. */
  private void logAndCount(WebhookDelivery delivery, Attempt attempt, DeliveryProgress after) {
    AttemptResult result = attempt.returned().result();
    String namespace = delivery.getMetadata().getNamespace();
    String endpointName = DeliveryIndex.endpointName(delivery);
    metrics.attempt(
        namespace, endpointName, result.errorClass(), Duration.ofMillis(result.durationMs()));
    if (after.phase() == DeliveryPhase.Exhausted) {
      metrics.exhausted(namespace, endpointName);
    }
    LOG.atInfo()
        .addKeyValue("namespace", namespace)
        .addKeyValue("delivery", delivery.getMetadata().getName())
        .addKeyValue("endpoint", endpointName)
        .addKeyValue("webhookId", attempt.sent().webhookId())
        .addKeyValue("attempt", after.attempts())
        .addKeyValue("statusCode", result.statusCode())
        .addKeyValue("errorClass", result.errorClass())
        .addKeyValue("durationMs", result.durationMs())
        .addKeyValue("phase", after.phase())
        .log(
            "delivery {}/{} attempt {}: {} -> {}",
            namespace,
            delivery.getMetadata().getName(),
            after.attempts(),
            result.succeeded()
                ? "HTTP " + result.statusCode()
                : result.errorClass() + " (" + result.message() + ")",
            after.phase());
  }
}
