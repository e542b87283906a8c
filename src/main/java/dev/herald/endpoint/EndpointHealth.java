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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records attempt outcomes on their endpoint (Active/Failing, consecutive failures, last success
 * and failure, the failure policy). Outcomes are collected per endpoint and written together at
 * most every {@link #FLUSH_INTERVAL}, off the reconcile threads: a thousand deliveries retrying
 * against one endpoint would otherwise each read and write the same object, conflict with one
 * another, and hold every reconcile thread on the API server. The write is a read-modify-write
 * under optimistic locking, retried on conflict, so a counter loses no increments.
 *
 * <p>An endpoint that keeps succeeding changes nothing but {@code lastSuccessTime}; that is
 * refreshed at most every {@link #SUCCESS_REFRESH}.
 */
public class EndpointHealth implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointHealth.class);
  private static final int MAX_CONFLICT_RETRIES = 8;
  static final java.time.Duration SUCCESS_REFRESH = java.time.Duration.ofSeconds(30);
  static final java.time.Duration FLUSH_INTERVAL = java.time.Duration.ofSeconds(1);

  private record Outcome(ErrorInfo error, boolean exhausted, Instant at) {}

  /** Outcomes not yet written, by endpoint uid, in the order they happened. */
  private final Map<String, Batch> pending = new ConcurrentHashMap<>();

  private static final class Batch {
    final WebhookEndpoint endpoint;
    final List<Outcome> outcomes = new ArrayList<>();

    Batch(WebhookEndpoint endpoint) {
      this.endpoint = endpoint;
    }
  }

  private final KubernetesClient client;
  private final HeraldMetrics metrics;
  private final EventRecorder events;
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "herald-endpoint-health");
    t.setDaemon(true);
    return t;
  });

  public EndpointHealth(KubernetesClient client, HeraldMetrics metrics, EventRecorder events) {
    this.client = client;
    this.metrics = metrics;
    this.events = events;
  }

  /**
   * Queues one outcome; it is written within {@link #FLUSH_INTERVAL}.
   *
   * @param error null when the attempt succeeded
   * @param exhausted the attempt left its delivery Exhausted
   */
  public void record(WebhookEndpoint endpoint, ErrorInfo error, boolean exhausted, Instant at) {
    String uid = endpoint.getMetadata().getUid();
    if (error == null && stillHealthy(endpoint.getStatus(), at) && !pending.containsKey(uid)) {
      return;
    }
    boolean[] first = {false};
    pending.compute(uid, (k, batch) -> {
      if (batch == null) {
        batch = new Batch(endpoint);
        first[0] = true;
      }
      batch.outcomes.add(new Outcome(error, exhausted, at));
      return batch;
    });
    if (first[0]) {
      writer.schedule(() -> flush(uid), FLUSH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A periodic writer that throws would never run again: keep going whatever a write hits. */
  private void flush(String uid) {
    Batch batch = pending.remove(uid);
    if (batch == null) {
      return;
    }
    try {
      write(batch);
    } catch (RuntimeException e) {
      // Advisory: failing deliveries would be no better off for a lost count than for a late one.
      LOG.warn("endpoint {}/{}: health of {} attempts not recorded: {}", batch.endpoint.getMetadata().getNamespace(),
          batch.endpoint.getMetadata().getName(), batch.outcomes.size(), e.getMessage());
    }
  }

  private void write(Batch batch) {
    WebhookEndpoint endpoint = batch.endpoint;
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
      boolean paused = fresh.getSpec() != null && fresh.getSpec().isPaused();
      FailurePolicy policy = FailurePolicy.of(fresh.getSpec() == null ? null : fresh.getSpec().getFailurePolicy());
      for (Outcome o : batch.outcomes) {
        apply(status, o.error(), o.exhausted(), o.at(), paused, policy);
      }
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

  /** Writes what is queued, then stops. */
  @Override
  public void close() {
    for (String uid : List.copyOf(pending.keySet())) {
      flush(uid);
    }
    writer.shutdownNow();
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
