package dev.herald.digest;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDigest;
import dev.herald.api.v1alpha1.WebhookDigestSpec;
import dev.herald.api.v1alpha1.WebhookDigestStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.egress.Egress;
import dev.herald.http.WebhookSender;
import dev.herald.kube.Conditions;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.Fresh;
import dev.herald.kube.Patches;
import dev.herald.kube.Times;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.vertx.core.Vertx;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a WebhookDigest's report at each interval ({@link DigestCadence}): the namespace's failing
 * endpoints and unprocessed deliveries, by e-mail and/or to a notification webhook ({@link
 * DigestChannel}). Nothing is sent when there is nothing to report. A failed send is recorded
 * (condition, Warning Event) and retried; never a crash loop. Secrets are read at each run and
 * nothing read from them is written to status, Events or logs.
 *
 * <p>Sending never holds a reconcile thread: a run starts its sends and returns; the last answer
 * wakes the digest ({@link DigestsInFlight}) and a reconcile records the result.
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

  /** Only covers a wake-up that was lost: every send completes within its timeout. */
  private static final Duration OPEN_RECHECK = DigestChannel.SEND_TIMEOUT.multipliedBy(2);

  private static final Duration MAX_RECORD_BACKOFF = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDigestReconciler.class);

  private final EventRecorder events;
  private final Clock clock;
  private final DigestChannels channels;
  private final DigestsInFlight inFlight = new DigestsInFlight();
  private final SimpleInboundEventSource<WebhookDigest> answers =
      new SimpleInboundEventSource<>("digest-answers");

  /** The informer's copy of a digest: one gone or re-created is not woken for an old run. */
  private volatile Function<ResourceID, Optional<WebhookDigest>> cached = id -> Optional.empty();

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
    this.channels = new DigestChannels(new DigestMailer(vertx, egress), sender);
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, WebhookDigest>> prepareEventSources(
      EventSourceContext<WebhookDigest> context) {
    var cache = context.getPrimaryCache();
    cached = cache::get;
    return List.of(answers);
  }

  @Override
  public UpdateControl<WebhookDigest> reconcile(
      WebhookDigest digest, Context<WebhookDigest> context) {
    KubernetesClient client = context.getClient();
    Optional<DigestsInFlight.Parked> parked = inFlight.get(digest.getMetadata().getUid());
    if (parked.isPresent()) {
      return parked.get().open()
          ? UpdateControl.<WebhookDigest>noUpdate().rescheduleAfter(OPEN_RECHECK.toMillis())
          : record(client, parked.get());
    }
    Instant now = clock.instant();
    DigestCadence.Next next = cadence(digest, now);
    if (next instanceof DigestCadence.Due) {
      // Due by the informer's copy, which may predate our own last write: a digest just sent
      // would go out twice. The API server's copy decides.
      digest = Fresh.read(client, digest);
      if (digest == null) {
        return UpdateControl.noUpdate();
      }
      next = cadence(digest, now);
    }
    if (next instanceof DigestCadence.Invalid invalid) {
      return invalid(client, digest, invalid, now);
    }
    if (next instanceof DigestCadence.Wait wait) {
      if (wait.recordGeneration()) {
        WebhookDigestStatus status = DigestStatuses.copy(digest.getStatus());
        status.setObservedGeneration(digest.getMetadata().getGeneration());
        status.setNextTime(Times.format(wait.until()));
        Patches.replaceStatus(client, WebhookDigest.class, digest, status);
      }
      return rescheduleAt(wait.until());
    }
    return run(client, digest, (DigestCadence.Due) next, now);
  }

  private DigestCadence.Next cadence(WebhookDigest digest, Instant now) {
    WebhookDigestSpec spec = digest.getSpec() == null ? new WebhookDigestSpec() : digest.getSpec();
    return DigestCadence.next(
        spec, digest.getStatus(), digest.getMetadata().getGeneration(), now, minInterval);
  }

  private UpdateControl<WebhookDigest> run(
      KubernetesClient client, WebhookDigest digest, DigestCadence.Due due, Instant now) {
    Long generation = digest.getMetadata().getGeneration();
    WebhookDigestStatus status = DigestStatuses.copy(digest.getStatus());
    status.setObservedGeneration(generation);
    List<DigestChannel> channels;
    try {
      channels = this.channels.resolve(client, digest, status);
    } catch (DigestException e) {
      DigestStatuses.failed(status, e.reason(), e.getMessage(), generation, now);
      return conclude(client, digest, status, e, now.plus(due.retry()));
    }
    DigestReport report = report(client, digest, now);
    if (report.isEmpty()) {
      DigestStatuses.nothingToReport(status, generation, now);
      return conclude(client, digest, status, null, now.plus(due.interval()));
    }
    String uid = digest.getMetadata().getUid();
    inFlight.started(
        uid,
        new DigestsInFlight.Run(
            digest, status, DigestStatuses.summary(report), now, due.interval(), due.retry()));
    ResourceID id = ResourceID.fromResource(digest);
    DigestChannels.sendAll(channels, report, now)
        .onComplete(failures -> answered(id, uid, failures.result()));
    return UpdateControl.<WebhookDigest>noUpdate().rescheduleAfter(OPEN_RECHECK.toMillis());
  }

  private static DigestReport report(KubernetesClient client, WebhookDigest digest, Instant now) {
    String namespace = digest.getMetadata().getNamespace();
    List<String> endpoints = digest.getSpec().getEndpoints();
    Set<String> only = endpoints == null ? Set.of() : new HashSet<>(endpoints);
    return DigestReport.of(
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
  }

  /** On a Vert.x thread, once every channel answered: parks the result and wakes the digest. */
  private void answered(ResourceID id, String uid, List<DigestException> failures) {
    inFlight.finished(uid, failures);
    if (cached.apply(id).filter(d -> uid.equals(d.getMetadata().getUid())).isEmpty()) {
      inFlight.forget(uid); // deleted while its sends were open: nothing left to record
      return;
    }
    try {
      answers.propagateEvent(id);
    } catch (RuntimeException e) {
      // stopping: the result is lost and the run, its nextTime unchanged, goes out again
      LOG.debug("digest {} not woken: {}", id, e.toString());
    }
  }

  /**
   * Writes a parked result to status. If the write fails the result stays parked and is written on
   * a later try, without sending again.
   */
  private UpdateControl<WebhookDigest> record(
      KubernetesClient client, DigestsInFlight.Parked parked) {
    DigestsInFlight.Run run = parked.run();
    WebhookDigest digest = run.digest();
    String uid = digest.getMetadata().getUid();
    Long generation = run.status().getObservedGeneration();
    WebhookDigestStatus status = DigestStatuses.copy(run.status());
    DigestException failure = null;
    if (parked.failures().isEmpty()) {
      DigestStatuses.sent(status, run.summary(), generation, run.started());
    } else {
      List<String> messages = parked.failures().stream().map(Throwable::getMessage).toList();
      failure = new DigestException(parked.failures().get(0).reason(), String.join("; ", messages));
      DigestStatuses.failed(
          status, failure.reason(), failure.getMessage(), generation, run.started());
    }
    Instant nextRun = run.started().plus(failure == null ? run.interval() : run.retry());
    try {
      UpdateControl<WebhookDigest> done = conclude(client, digest, status, failure, nextRun);
      inFlight.forget(uid);
      return done;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        inFlight.forget(uid); // deleted meanwhile
        return UpdateControl.noUpdate();
      }
      int failures = inFlight.recordFailed(uid);
      Duration backoff = Duration.ofSeconds(1L << Math.min(failures, 6));
      backoff = backoff.compareTo(MAX_RECORD_BACKOFF) > 0 ? MAX_RECORD_BACKOFF : backoff;
      LOG.warn(
          "digest {}/{}: result not recorded yet ({}); trying again in {}",
          digest.getMetadata().getNamespace(),
          digest.getMetadata().getName(),
          e.getCode(),
          backoff);
      return UpdateControl.<WebhookDigest>noUpdate().rescheduleAfter(backoff.toMillis());
    }
  }

  /**
   * Writes the run's status with its next time; a failure is also a Warning Event and a log line.
   */
  private UpdateControl<WebhookDigest> conclude(
      KubernetesClient client,
      WebhookDigest digest,
      WebhookDigestStatus status,
      DigestException failure,
      Instant nextRun) {
    status.setNextTime(Times.format(nextRun));
    Patches.replaceStatus(client, WebhookDigest.class, digest, status);
    if (failure != null) {
      events.emit(digest, failure.reason(), failure.getMessage());
      LOG.warn(
          "digest {}/{} not sent: {}",
          digest.getMetadata().getNamespace(),
          digest.getMetadata().getName(),
          failure.getMessage());
    }
    return rescheduleAt(nextRun);
  }

  private UpdateControl<WebhookDigest> invalid(
      KubernetesClient client, WebhookDigest digest, DigestCadence.Invalid invalid, Instant now) {
    WebhookDigestStatus before = DigestStatuses.copy(digest.getStatus());
    WebhookDigestStatus status = DigestStatuses.copy(before);
    DigestStatuses.invalid(
        status, invalid.reason(), invalid.message(), digest.getMetadata().getGeneration(), now);
    if (Conditions.reasonChanged(
        before.getConditions(), status.getConditions(), Conditions.READY)) {
      events.emit(digest, invalid.reason(), invalid.message());
    }
    Patches.replaceStatus(client, WebhookDigest.class, digest, status);
    return UpdateControl.noUpdate(); // a spec change triggers the next reconcile
  }

  private UpdateControl<WebhookDigest> rescheduleAt(Instant at) {
    return UpdateControl.<WebhookDigest>noUpdate()
        .rescheduleAfter(Math.max(1, Duration.between(clock.instant(), at).toMillis()));
  }
}
