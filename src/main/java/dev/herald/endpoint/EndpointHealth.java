package dev.herald.endpoint;

import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.ErrorInfo;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import dev.herald.kube.Conditions;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.Times;
import dev.herald.metrics.HeraldMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each attempt's outcome on its endpoint (Active/Failing, consecutive failures, last
 * success and failure). Deliveries to one endpoint finish concurrently, so this is a
 * read-modify-write under optimistic locking, retried on conflict: a counter must not lose
 * increments.
 *
 * <p>An endpoint that keeps succeeding changes nothing but {@code lastSuccessTime}; that is
 * refreshed at most every {@link #SUCCESS_REFRESH}, so a busy healthy endpoint does not cost an
 * API write per delivery.
 */
public class EndpointHealth {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointHealth.class);
  private static final int MAX_CONFLICT_RETRIES = 8;
  static final java.time.Duration SUCCESS_REFRESH = java.time.Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final HeraldMetrics metrics;
  private final EventRecorder events;

  public EndpointHealth(KubernetesClient client, HeraldMetrics metrics, EventRecorder events) {
    this.client = client;
    this.metrics = metrics;
    this.events = events;
  }

  /**
   * @param error null when the attempt succeeded
   * @param exhausted the attempt left its delivery Exhausted
   */
  public void record(WebhookEndpoint endpoint, ErrorInfo error, boolean exhausted, Instant at) {
    if (error == null && stillHealthy(endpoint.getStatus(), at)) {
      return;
    }
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    for (int i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      WebhookEndpoint fresh = client.resources(WebhookEndpoint.class).inNamespace(namespace).withName(name).get();
      if (fresh == null || !fresh.getMetadata().getUid().equals(endpoint.getMetadata().getUid())) {
        return; // deleted or re-created meanwhile: its health is no longer ours to record
      }
      WebhookEndpointStatus status = fresh.getStatus() == null ? new WebhookEndpointStatus() : fresh.getStatus();
      long failuresBefore = status.getConsecutiveFailures() == null ? 0 : status.getConsecutiveFailures();
      boolean pausedBefore = status.getAutoPaused() != null;
      apply(status, error, exhausted, at, fresh.getSpec() != null && fresh.getSpec().isPaused(),
          FailurePolicy.of(fresh.getSpec() == null ? null : fresh.getSpec().getFailurePolicy()));
      fresh.setStatus(status);
      try {
        client.resources(WebhookEndpoint.class).inNamespace(namespace).resource(fresh).updateStatus();
        metrics.consecutiveFailures(namespace, name, status.getConsecutiveFailures());
        announce(fresh, failuresBefore, status);
        if (!pausedBefore && status.getAutoPaused() != null) {
          events.warning(fresh, "AutoPaused", status.getAutoPaused().getMessage()
              + "; deliveries are held as Pending. Resume: kubectl annotate whe " + name + " herald.dev/resume=$(date +%s) --overwrite");
        }
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
    }
    LOG.warn("endpoint {}/{}: health not recorded after {} conflicts", namespace, name, MAX_CONFLICT_RETRIES);
  }

  /** A success would change nothing but a recent lastSuccessTime. */
  static boolean stillHealthy(WebhookEndpointStatus status, Instant at) {
    if (status == null || status.getPhase() != EndpointPhase.Active || status.getAutoPaused() != null
        || (status.getConsecutiveFailures() != null && status.getConsecutiveFailures() != 0)
        || status.getFailingSince() != null || status.getExhaustedSinceSuccess() != null) {
      return false;
    }
    Instant last = Times.parse(status.getLastSuccessTime());
    return last != null && !at.isAfter(last.plus(SUCCESS_REFRESH));
  }

  private void announce(WebhookEndpoint endpoint, long failuresBefore, WebhookEndpointStatus status) {
    if (failuresBefore == 0 && status.getConsecutiveFailures() > 0) {
      events.warning(endpoint, "Failing", "delivery attempt failed: " + status.getLastError().getErrorClass()
          + " (" + status.getLastError().getMessage() + ")");
    } else if (failuresBefore > 0 && status.getConsecutiveFailures() == 0) {
      events.normal(endpoint, "Recovered", "delivered again after " + failuresBefore + " failed attempts");
    }
  }

  static void apply(
      WebhookEndpointStatus status, ErrorInfo error, boolean exhausted, Instant at, boolean paused, FailurePolicy policy) {
    long failures = status.getConsecutiveFailures() == null ? 0 : status.getConsecutiveFailures();
    if (error == null) {
      failures = 0;
      status.setLastSuccessTime(Times.format(at));
      status.setFailingSince(null);
      status.setExhaustedSinceSuccess(null);
    } else {
      failures++;
      status.setLastFailureTime(Times.format(at));
      status.setLastError(error);
      if (status.getFailingSince() == null) {
        status.setFailingSince(Times.format(at));
      }
      if (exhausted) {
        status.setExhaustedSinceSuccess((status.getExhaustedSinceSuccess() == null ? 0 : status.getExhaustedSinceSuccess()) + 1);
      }
      policy.evaluate(status, error.getErrorClass(), at).ifPresent(pause -> {
        status.setAutoPaused(pause);
        status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, false, "AutoPaused",
            pause.getMessage(), null, at));
      });
    }
    status.setConsecutiveFailures(failures);
    status.setPhase(EndpointPhase.of(paused || status.getAutoPaused() != null, failures));
  }
}
