package dev.herald.endpoint;

import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.EndpointReason;
import dev.herald.api.v1alpha1.ErrorInfo;
import dev.herald.api.v1alpha1.RecentAttempt;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import dev.herald.http.AttemptResult;
import dev.herald.kube.Conditions;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.Fresh;
import dev.herald.kube.Times;
import dev.herald.metrics.HeraldMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * <p>Health is computed from the endpoint as the API server has it at write time, applying the
 * outcomes in the order they happened ({@link #next}), never from the copy an attempt was sent
 * with: that copy may predate failures written meanwhile, and a success judged against it would be
 * lost and leave a healthy endpoint {@code Failing}.
 *
 * <p>An endpoint that keeps succeeding changes nothing but {@code lastSuccessTime} and its {@code
 * recentAttempts}; those are written at most every {@link #RECENT_REFRESH}, so a busy healthy
 * endpoint costs the API server a write every few seconds, not one per attempt. Whether a success
 * changes nothing is judged against the newest copy known here (the caller's or the one last
 * written, by resourceVersion), and never while a write is pending.
 */
public class EndpointHealth implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointHealth.class);
  private static final int MAX_CONFLICT_RETRIES = 8;
  static final java.time.Duration SUCCESS_REFRESH = java.time.Duration.ofSeconds(30);
  static final java.time.Duration FLUSH_INTERVAL = java.time.Duration.ofSeconds(1);
  static final java.time.Duration RECENT_REFRESH = java.time.Duration.ofSeconds(5);

  /** How many attempts {@code status.recentAttempts} keeps: a bounded log, newest first. */
  public static final int RECENT_ATTEMPTS = 20;

  /**
   * After this without an outcome, the informer's copy is surely newer than anything remembered
   * here.
   */
  private static final java.time.Duration FORGET_AFTER = java.time.Duration.ofMinutes(10);

  private static final java.time.Duration CLOSE_TIMEOUT = java.time.Duration.ofSeconds(10);
  private static final KubernetesSerialization COPIES = dev.herald.kube.KubeJson.serialization();

  /** One attempt's outcome; {@code error} null when it succeeded. */
  record Outcome(ErrorInfo error, boolean exhausted, Instant at) {}

  /**
   * The line for {@code status.recentAttempts} of one finished attempt, from a delivery or from an
   * event's first attempt.
   *
   * @param event the WebhookEvent's name, or null
   * @param delivery the WebhookDelivery's name, or null when none exists
   */
  public static RecentAttempt recentAttempt(
      String webhookId,
      String event,
      String delivery,
      int number,
      Instant started,
      AttemptResult result) {
    return new RecentAttempt(
        Times.format(started),
        webhookId,
        event,
        delivery,
        number,
        result.statusCode(),
        result.durationMs(),
        result.errorClass());
  }

  /** Newest first, at most {@link #RECENT_ATTEMPTS}, from {@code earlier} and {@code added}. */
  static List<RecentAttempt> recent(List<RecentAttempt> earlier, List<RecentAttempt> added) {
    List<RecentAttempt> all = new ArrayList<>(added);
    if (earlier != null) {
      all.addAll(earlier);
    }
    // RFC 3339 in UTC from Times.format sorts as text; a stable sort keeps arrival order on ties
    all.sort(Comparator.comparing(RecentAttempt::getTime, Comparator.reverseOrder()));
    return List.copyOf(all.subList(0, Math.min(all.size(), RECENT_ATTEMPTS)));
  }

  /** Per endpoint uid: what is known of it and what waits to be written. */
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();

  /** Guarded by itself. */
  private static final class Tracked {
    final String uid;

    /** The newest copy known, by resourceVersion: a caller's, or the one this class wrote. */
    WebhookEndpoint latest;

    final List<Outcome> queued = new ArrayList<>();

    /**
     * Attempts for {@code recentAttempts} not written yet, oldest first, at most the list's size.
     */
    final ArrayDeque<RecentAttempt> recent = new ArrayDeque<>();

    /**
     * The newest success not queued because it changed nothing; still applied with the next write,
     * in order.
     */
    Instant skippedSuccess;

    /** A write is scheduled or running: whatever is recorded meanwhile waits for the next one. */
    boolean flushing;

    /**
     * Outcomes that may change the health are queued or being written: until they are written, a
     * success cannot be judged to change nothing.
     */
    boolean healthPending() {
      return !queued.isEmpty() || writingOutcomes;
    }

    boolean writingOutcomes;

    /**
     * When the oldest queued outcome arrived: it waits at most FLUSH_INTERVAL, as the first of a
     * batch does.
     */
    long queuedSinceNanos;

    /** When the oldest unwritten recent attempt arrived: it waits at most RECENT_REFRESH. */
    long recentSinceNanos;

    /** When the scheduled write runs; meaningful while flushing. */
    long dueNanos;

    long touchedNanos;

    Tracked(String uid) {
      this.uid = uid;
    }

    void see(WebhookEndpoint copy) {
      if (latest == null || !olderThan(copy, latest)) {
        latest = copy;
      }
    }
  }

  private final KubernetesClient client;
  private final HeraldMetrics metrics;
  private final EventRecorder events;
  private final ScheduledThreadPoolExecutor writer =
      new ScheduledThreadPoolExecutor(
          1,
          r -> {
            Thread t = new Thread(r, "herald-endpoint-health");
            t.setDaemon(true);
            return t;
          });

  public EndpointHealth(KubernetesClient client, HeraldMetrics metrics, EventRecorder events) {
    this.client = client;
    this.metrics = metrics;
    this.events = events;
    // close() writes what is queued itself, on the caller's thread, before the client closes
    writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    writer.scheduleWithFixedDelay(this::forgetIdle, 1, 1, TimeUnit.MINUTES);
  }

  /**
   * Queues one outcome; it is written within {@link #FLUSH_INTERVAL} when it changes the health,
   * else (a success of a healthy endpoint) with the recent attempts within {@link #RECENT_REFRESH}.
   *
   * @param endpoint the endpoint as the caller knows it, possibly older than what was written since
   * @param error null when the attempt succeeded
   * @param exhausted the attempt left its delivery Exhausted
   * @param at when the attempt finished: outcomes apply in that order
   * @param attempt its line in {@code status.recentAttempts}
   */
  public void record(
      WebhookEndpoint endpoint,
      ErrorInfo error,
      boolean exhausted,
      Instant at,
      RecentAttempt attempt) {
    Tracked t = tracked.computeIfAbsent(endpoint.getMetadata().getUid(), Tracked::new);
    long due;
    synchronized (t) {
      long now = System.nanoTime();
      t.touchedNanos = now;
      t.see(endpoint);
      if (t.recent.isEmpty()) {
        t.recentSinceNanos = now;
      }
      if (t.recent.size() == RECENT_ATTEMPTS) {
        t.recent.removeFirst();
      }
      t.recent.addLast(attempt);
      if (error == null && !t.healthPending() && stillHealthy(t.latest.getStatus(), at)) {
        t.skippedSuccess =
            t.skippedSuccess == null || at.isAfter(t.skippedSuccess) ? at : t.skippedSuccess;
        due = t.recentSinceNanos + RECENT_REFRESH.toNanos();
      } else {
        if (t.queued.isEmpty()) {
          t.queuedSinceNanos = now;
        }
        t.queued.add(new Outcome(error, exhausted, at));
        due = t.queuedSinceNanos + FLUSH_INTERVAL.toNanos();
      }
      if (t.flushing && t.dueNanos - due <= 0) {
        return; // the write already scheduled comes soon enough
      }
      t.flushing = true;
      t.dueNanos = due;
      due -= now;
    }
    schedule(t, due);
  }

  private void schedule(Tracked t, long delayNanos) {
    try {
      writer.schedule(() -> flush(t), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closing: close() writes what is queued
    }
  }

  /** A periodic writer that throws would never run again: keep going whatever a write hits. */
  private void flush(Tracked t) {
    List<Outcome> batch;
    List<RecentAttempt> recent;
    WebhookEndpoint known;
    synchronized (t) {
      batch = new ArrayList<>(t.queued);
      t.writingOutcomes = !t.queued.isEmpty();
      t.queued.clear();
      if (t.skippedSuccess != null) {
        batch.add(new Outcome(null, false, t.skippedSuccess));
        t.skippedSuccess = null;
      }
      recent = List.copyOf(t.recent);
      t.recent.clear();
      known = t.latest;
    }
    WebhookEndpoint written = known;
    if (!batch.isEmpty() || !recent.isEmpty()) {
      try {
        written = write(known, batch, recent);
      } catch (RuntimeException e) {
        // Advisory: failing deliveries would be no better off for a lost count than for a late one.
        LOG.warn(
            "endpoint {}/{}: health of {} attempts not recorded: {}",
            known.getMetadata().getNamespace(),
            known.getMetadata().getName(),
            batch.size(),
            e.getMessage());
      }
    }
    boolean again;
    long delay;
    synchronized (t) {
      if (written == null) {
        tracked.remove(t.uid, t); // deleted or re-created: nothing more to record on it
      } else {
        t.see(written);
      }
      t.writingOutcomes = false;
      again = !t.queued.isEmpty() || !t.recent.isEmpty();
      t.flushing = again;
      t.dueNanos =
          t.queued.isEmpty()
              ? t.recentSinceNanos + RECENT_REFRESH.toNanos()
              : t.queuedSinceNanos + FLUSH_INTERVAL.toNanos();
      delay = t.dueNanos - System.nanoTime();
    }
    if (again) {
      schedule(t, delay);
    }
  }

  /**
   * @return the endpoint as written (or as read, if nothing changed); null if it is gone
   */
  private WebhookEndpoint write(
      WebhookEndpoint endpoint, List<Outcome> outcomes, List<RecentAttempt> recent) {
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    for (int i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      WebhookEndpoint fresh = Fresh.read(client, endpoint);
      if (fresh == null) {
        return null; // deleted or re-created meanwhile: its health is no longer ours to record
      }
      WebhookEndpointStatus before =
          fresh.getStatus() == null ? new WebhookEndpointStatus() : fresh.getStatus();
      boolean paused = fresh.getSpec() != null && fresh.getSpec().isPaused();
      FailurePolicy policy =
          FailurePolicy.of(fresh.getSpec() == null ? null : fresh.getSpec().getFailurePolicy());
      WebhookEndpointStatus status = next(before, outcomes, paused, policy);
      if (!recent.isEmpty()) {
        status.setRecentAttempts(recent(before.getRecentAttempts(), recent));
      }
      if (COPIES.asJson(status).equals(COPIES.asJson(before))) {
        return fresh; // e.g. only successes older than the recorded one
      }
      long failuresBefore =
          before.getConsecutiveFailures() == null ? 0 : before.getConsecutiveFailures();
      boolean pausedBefore = before.getAutoPaused() != null;
      fresh.setStatus(status);
      try {
        WebhookEndpoint written =
            client
                .resources(WebhookEndpoint.class)
                .inNamespace(namespace)
                .resource(fresh)
                .updateStatus();
        metrics.consecutiveFailures(namespace, name, status.getConsecutiveFailures());
        announce(fresh, failuresBefore, status);
        if (!pausedBefore && status.getAutoPaused() != null) {
          events.emit(
              fresh,
              EndpointReason.AutoPaused,
              status.getAutoPaused().getMessage()
                  + "; deliveries are held as Pending. Resume: kubectl annotate whe "
                  + name
                  + " herald.dev/resume=$(date +%s) --overwrite");
        }
        return written;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
    }
    LOG.warn(
        "endpoint {}/{}: health not recorded after {} conflicts",
        namespace,
        name,
        MAX_CONFLICT_RETRIES);
    return endpoint;
  }

  /** Idle entries go, so deleted endpoints are not remembered forever. */
  private void forgetIdle() {
    long cutoff = System.nanoTime() - FORGET_AFTER.toNanos();
    for (Tracked t : tracked.values()) {
      synchronized (t) {
        // a skipped success goes with it: it would only have made lastSuccessTime less than
        // SUCCESS_REFRESH fresher
        if (!t.flushing
            && t.queued.isEmpty()
            && t.recent.isEmpty()
            && t.touchedNanos - cutoff < 0) {
          tracked.remove(t.uid, t);
        }
      }
    }
  }

  /**
   * Writes what is queued, then stops. Call it before the Kubernetes client closes: on SIGTERM the
   * last second of attempts would otherwise never reach their endpoints' status.
   */
  @Override
  public void close() {
    writer.shutdown(); // cancels the delayed writes, lets a running one finish
    try {
      if (!writer.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("endpoint health: a status write still runs after {}", CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Tracked t : List.copyOf(tracked.values())) {
      boolean pending;
      synchronized (t) {
        pending = !t.queued.isEmpty() || !t.recent.isEmpty();
      }
      if (pending) {
        flush(t);
      }
    }
  }

  /**
   * Whether {@code a} is known to be an older version of the object than {@code b}
   * (resourceVersions are etcd revisions).
   */
  static boolean olderThan(WebhookEndpoint a, WebhookEndpoint b) {
    try {
      return Long.parseLong(a.getMetadata().getResourceVersion())
          < Long.parseLong(b.getMetadata().getResourceVersion());
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
  }

  /**
   * The endpoint status after {@code outcomes}, applied in the order they happened to {@code
   * latest} (not changed). An outcome older than one already recorded of the other kind does not
   * undo it: a failure from before the last success counts no failure, a success from before the
   * last failure ends no failing streak.
   */
  static WebhookEndpointStatus next(
      WebhookEndpointStatus latest, List<Outcome> outcomes, boolean paused, FailurePolicy policy) {
    WebhookEndpointStatus status =
        latest == null ? new WebhookEndpointStatus() : COPIES.clone(latest);
    List<Outcome> inOrder = new ArrayList<>(outcomes);
    inOrder.sort(Comparator.comparing(Outcome::at));
    for (Outcome o : inOrder) {
      apply(status, o.error(), o.exhausted(), o.at(), paused, policy);
    }
    return status;
  }

  /** A success would change nothing but a recent lastSuccessTime. */
  static boolean stillHealthy(WebhookEndpointStatus status, Instant at) {
    if (status == null
        || status.getPhase() != EndpointPhase.Active
        || status.getAutoPaused() != null
        || (status.getConsecutiveFailures() != null && status.getConsecutiveFailures() != 0)
        || status.getFailingSince() != null
        || status.getExhaustedSinceSuccess() != null) {
      return false;
    }
    Instant last = Times.parse(status.getLastSuccessTime());
    return last != null && !at.isAfter(last.plus(SUCCESS_REFRESH));
  }

  private void announce(
      WebhookEndpoint endpoint, long failuresBefore, WebhookEndpointStatus status) {
    if (failuresBefore == 0 && status.getConsecutiveFailures() > 0) {
      events.emit(
          endpoint,
          EndpointReason.Failing,
          "delivery attempt failed: "
              + status.getLastError().getErrorClass()
              + " ("
              + status.getLastError().getMessage()
              + ")");
    } else if (failuresBefore > 0 && status.getConsecutiveFailures() == 0) {
      events.emit(
          endpoint,
          EndpointReason.Recovered,
          "delivered again after " + failuresBefore + " failed attempts");
    }
  }

  static void apply(
      WebhookEndpointStatus status,
      ErrorInfo error,
      boolean exhausted,
      Instant at,
      boolean paused,
      FailurePolicy policy) {
    long failures = status.getConsecutiveFailures() == null ? 0 : status.getConsecutiveFailures();
    Instant lastSuccess = Times.parse(status.getLastSuccessTime());
    Instant lastFailure = Times.parse(status.getLastFailureTime());
    if (error == null) {
      if (lastSuccess == null || at.isAfter(lastSuccess)) {
        status.setLastSuccessTime(Times.format(at));
      }
      if (lastFailure == null || !at.isBefore(lastFailure)) {
        failures = 0;
        status.setFailingSince(null);
        status.setExhaustedSinceSuccess(null);
      }
    } else if (lastSuccess != null && at.isBefore(lastSuccess)) {
      if (lastFailure == null || at.isAfter(lastFailure)) {
        status.setLastFailureTime(Times.format(at));
        status.setLastError(error);
      }
    } else {
      failures++;
      if (lastFailure == null || !at.isBefore(lastFailure)) {
        status.setLastFailureTime(Times.format(at));
        status.setLastError(error);
      }
      if (status.getFailingSince() == null) {
        status.setFailingSince(Times.format(at));
      }
      if (exhausted) {
        status.setExhaustedSinceSuccess(
            (status.getExhaustedSinceSuccess() == null ? 0 : status.getExhaustedSinceSuccess())
                + 1);
      }
      policy
          .evaluate(status, error.getErrorClass(), at)
          .ifPresent(
              pause -> {
                status.setAutoPaused(pause);
                status.setConditions(
                    Conditions.set(
                        status.getConditions(),
                        Conditions.READY,
                        false,
                        EndpointReason.AutoPaused,
                        pause.getMessage(),
                        null,
                        at));
              });
    }
    status.setConsecutiveFailures(failures);
    status.setPhase(EndpointPhase.of(paused || status.getAutoPaused() != null, failures));
  }
}
