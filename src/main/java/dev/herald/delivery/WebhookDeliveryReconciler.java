package dev.herald.delivery;

import static dev.herald.delivery.DeliveryStatuses.applyProgress;
import static dev.herald.delivery.DeliveryStatuses.progressOf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.endpoint.EndpointHealth;
import dev.herald.endpoint.EndpointSettings;
import dev.herald.endpoint.EventTypes;
import dev.herald.endpoint.FailurePolicy;
import dev.herald.endpoint.InvalidEndpointException;
import dev.herald.endpoint.SigningSecretException;
import dev.herald.endpoint.SigningSecrets;
import dev.herald.http.AttemptResult;
import dev.herald.http.WebhookRequest;
import dev.herald.http.WebhookSender;
import dev.herald.kube.Annotations;
import dev.herald.kube.Conditions;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.LabelValues;
import dev.herald.kube.SpecOrAnnotationsChanged;
import dev.herald.retry.DeliveryProgress;
import dev.herald.retry.DeliveryStateMachine;
import dev.herald.kube.StatusPatch;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.kube.Times;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one delivery through the retry state machine: when an attempt is due it sends it,
 * records the outcome in status and requeues at the next attempt time. Everything that must
 * survive a restart (attempts, next attempt time, the endpoint it is bound to) lives in status.
 */
@ControllerConfiguration(
    name = "webhookdelivery",
    generationAwareEventProcessing = false,
    // Finished deliveries leave this cache (FinishedDeliveries keeps a trimmed copy for history
    // and replay): memory follows the work in flight, not the history.
    informer = @Informer(
        onUpdateFilter = SpecOrAnnotationsChanged.class,
        labelSelector = Herald.SELECT_UNFINISHED,
        informerListLimit = WebhookDeliveryReconciler.INFORMER_LIST_LIMIT))
public class WebhookDeliveryReconciler implements Reconciler<WebhookDelivery> {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NORMAL_REASONS = Set.of("Delivered", "Replayed", "Cancelled", "EndpointPaused");

  private final WebhookSender sender;
  private final SigningSecrets secrets;
  private final EndpointHealth health;
  private final EventRecorder events;
  private final Clock clock;
  /** A Secret we cannot read is looked at again at this pace, not in a hot loop. */
  private final Duration secretRetry;
  private final EndpointSlots slots;
  private final HeraldMetrics metrics;
  private final DeliveryIndex index = new DeliveryIndex();
  /** How soon a delivery whose endpoint has no free slot looks again. */
  static final Duration SLOT_RETRY = Duration.ofMillis(500);
  /** How often a delivery held by ordering: fifo looks whether its turn has come. */
  static final Duration FIFO_POLL = Duration.ofSeconds(1);
  /** Page size of the informers' initial lists, so a large backlog is not fetched in one response. */
  public static final long INFORMER_LIST_LIMIT = 500;
  /** How often finished deliveries are checked against retention. */
  private final Duration historySweep;

  public WebhookDeliveryReconciler(
      WebhookSender sender, SigningSecrets secrets, EndpointHealth health, EventRecorder events, Clock clock,
      Duration secretRetry, int maxInFlightPerEndpoint, HeraldMetrics metrics, Duration historySweep) {
    this.metrics = metrics;
    this.historySweep = historySweep;
    this.secretRetry = secretRetry;
    this.slots = new EndpointSlots(maxInFlightPerEndpoint);
    this.sender = sender;
    this.secrets = secrets;
    this.health = health;
    this.events = events;
    this.clock = clock;
  }

  /** Endpoint changes (URL edits, pause, deletion) wake the deliveries that name the endpoint. */
  @Override
  public List<EventSource<?, WebhookDelivery>> prepareEventSources(EventSourceContext<WebhookDelivery> context) {
    index.attach(context.getPrimaryCache());
    var config =
        InformerEventSourceConfiguration.from(WebhookEndpoint.class, WebhookDelivery.class)
            .withSecondaryToPrimaryMapper(
                (WebhookEndpoint e) ->
                    index.ofEndpoint(e.getMetadata().getNamespace(), e.getMetadata().getName())
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withOnUpdateFilter(new EndpointChangeMattersToDeliveries())
            .withPrimaryToSecondaryMapper(
                (WebhookDelivery d) -> Set.of(new ResourceID(endpointName(d), d.getMetadata().getNamespace())))
            .build();
    var endpoints = new InformerEventSource<>(config, context);
    return List.of(endpoints, new FinishedDeliveries(context, endpoints, clock, historySweep));
  }

  /**
   * Decides on the informer's copy whether anything is to be done; if so, re-reads the delivery
   * from the API server and acts on that. The informer may not yet hold our last write, and a
   * decision to send taken on a stale copy would repeat an attempt already made.
   */
  @Override
  public UpdateControl<WebhookDelivery> reconcile(WebhookDelivery cached, Context<WebhookDelivery> context)
      throws InterruptedException {
    WebhookEndpoint endpoint =
        context.getSecondaryResource(WebhookEndpoint.class)
            .filter(e -> e.getMetadata().getDeletionTimestamp() == null)
            .orElse(null);
    var serialization = context.getClient().getKubernetesSerialization();

    Pass dryRun = new Pass(cached, serialization.clone(cached.getStatus() == null ? new WebhookDeliveryStatus() : cached.getStatus()));
    Duration requeue = step(dryRun, endpoint, false);
    if (!dryRun.wantsAction && !dryRun.changes(serialization::asJson)) {
      return reschedule(UpdateControl.noUpdate(), requeue);
    }

    WebhookDelivery fresh =
        context.getClient().resources(WebhookDelivery.class)
            .inNamespace(cached.getMetadata().getNamespace())
            .withName(cached.getMetadata().getName())
            .get();
    if (fresh == null || !Objects.equals(fresh.getMetadata().getUid(), cached.getMetadata().getUid())) {
      return UpdateControl.noUpdate();
    }
    Pass pass = new Pass(fresh, serialization.clone(fresh.getStatus() == null ? new WebhookDeliveryStatus() : fresh.getStatus()));
    requeue = step(pass, endpoint, true);
    write(context, pass, serialization::asJson);
    return reschedule(UpdateControl.noUpdate(), requeue);
  }

  /** Unfinished deliveries per endpoint from the informer cache, for the pending gauges. */
  public List<HeraldMetrics.Pending> pendingSnapshot() {
    return index.pending(clock.instant());
  }

  private static UpdateControl<WebhookDelivery> reschedule(UpdateControl<WebhookDelivery> control, Duration requeue) {
    if (requeue != null) {
      control.rescheduleAfter(requeue.isNegative() ? Duration.ZERO : requeue);
    }
    return control;
  }

  /** One evaluation of a delivery: its status before, the status being computed, and labels. */
  private static final class Pass {
    final WebhookDelivery delivery;
    final WebhookDeliveryStatus status;
    /** The dry run found an attempt due: act on a fresh copy. */
    boolean wantsAction;

    Pass(WebhookDelivery delivery, WebhookDeliveryStatus status) {
      this.delivery = delivery;
      this.status = status;
      if (status.getPhase() == null) {
        applyProgress(status, DeliveryProgress.initial());
      }
    }

    Map<String, String> wantedLabels() {
      return Map.of(
          Herald.LABEL_ENDPOINT, LabelValues.orHash(endpointName(delivery)),
          Herald.LABEL_PHASE, status.getPhase().name());
    }

    boolean labelsChanged() {
      Map<String, String> labels = delivery.getMetadata().getLabels() == null ? Map.of() : delivery.getMetadata().getLabels();
      return !labels.entrySet().containsAll(wantedLabels().entrySet());
    }

    boolean statusChanged(java.util.function.Function<Object, String> json) {
      status.setObservedGeneration(delivery.getMetadata().getGeneration());
      return delivery.getStatus() == null || !json.apply(delivery.getStatus()).equals(json.apply(status));
    }

    boolean changes(java.util.function.Function<Object, String> json) {
      return statusChanged(json) || labelsChanged();
    }
  }

  private void write(Context<WebhookDelivery> context, Pass pass, java.util.function.Function<Object, String> json) {
    var client = context.getClient();
    if (pass.statusChanged(json)) {
      StatusPatch.replaceStatus(client, WebhookDelivery.class, pass.delivery, pass.status);
      var before = pass.delivery.getStatus();
      if (Conditions.reasonChanged(before == null ? null : before.getConditions(), pass.status.getConditions(), Conditions.READY)) {
        announce(pass.delivery, pass.status);
      }
    }
    // after the status, so a label never claims a phase the status does not show yet
    if (pass.labelsChanged()) {
      StatusPatch.mergeLabels(client, WebhookDelivery.class, pass.delivery, pass.wantedLabels());
    }
  }

  /** Advances the status by at most one attempt; returns when to look again (null: on events only). */
  private Duration step(Pass pass, WebhookEndpoint endpoint, boolean send) throws InterruptedException {
    WebhookDelivery delivery = pass.delivery;
    WebhookDeliveryStatus status = pass.status;
    Instant now = clock.instant();
    Long generation = delivery.getMetadata().getGeneration();
    String endpointName = endpointName(delivery);
    String replay = Annotations.get(delivery, Herald.ANNOTATION_REPLAY);
    boolean replayRequested = replay != null && !replay.equals(status.getObservedReplay());

    String boundUid = status.getEndpointUid();
    boolean endpointGone = boundUid != null && (endpoint == null || !boundUid.equals(endpoint.getMetadata().getUid()));
    if (endpointGone && (status.getPhase() != DeliveryPhase.Cancelled || replayRequested)) {
      // Deliveries stay bound to the endpoint incarnation they were created for: a re-created
      // endpoint of the same name is a different receiver with a different secret.
      if (status.getPhase() != DeliveryPhase.Cancelled && !status.getPhase().isFinished()) {
        applyProgress(status, cancelled(status, now));
      }
      status.setObservedReplay(replay);
      if (status.getPhase() == DeliveryPhase.Cancelled) {
        setReady(status, false, "Cancelled",
            "WebhookEndpoint " + endpointName + " was deleted; this delivery is kept for audit and will not be sent", generation, now);
      } else {
        setReady(status, false, "ReplayIgnored",
            "replay ignored: WebhookEndpoint " + endpointName + " was deleted", generation, now);
      }
      return null;
    }

    if (replayRequested) {
      status.setObservedReplay(replay);
      applyProgress(status, DeliveryStateMachine.replay());
      setReady(status, false, "Replayed", "replay requested: the same payload and webhook-id are sent again", generation, now);
    }

    if (status.getPhase().isFinished()) {
      return null; // retention is HistorySweeper's
    }
    if (endpoint == null) {
      setReady(status, false, "EndpointNotFound",
          "WebhookEndpoint " + endpointName + " does not exist (yet); the delivery waits for it", generation, now);
      return null;
    }
    status.setEndpointUid(endpoint.getMetadata().getUid());

    EndpointSettings settings;
    try {
      settings = EndpointSettings.of(endpoint.getSpec());
    } catch (InvalidEndpointException e) {
      setReady(status, false, "InvalidEndpoint", "WebhookEndpoint " + endpointName + ": " + e.getMessage(), generation, now);
      return null;
    }
    status.setMaxAttempts(settings.retryPolicy().maxAttempts());

    if (FailurePolicy.isPaused(endpoint)) {
      // Held, not lost: a paused endpoint's deliveries read Pending until it resumes.
      status.setPhase(DeliveryPhase.Pending);
      var auto = endpoint.getStatus() == null ? null : endpoint.getStatus().getAutoPaused();
      setReady(status, false, "EndpointPaused", auto == null || endpoint.getSpec().isPaused()
          ? "WebhookEndpoint " + endpointName + " is paused"
          : "WebhookEndpoint " + endpointName + " was paused by its failurePolicy: " + auto.getMessage(), generation, now);
      return null;
    }

    if (!EventTypes.matches(endpoint.getSpec().getEventTypes(), delivery.getSpec().getEventType())) {
      // Held, not dropped: editing spec.eventTypes releases it.
      setReady(status, false, "EventTypeNotSubscribed",
          "WebhookEndpoint " + endpointName + " does not subscribe to " + delivery.getSpec().getEventType()
              + " (spec.eventTypes)", generation, now);
      return null;
    }

    if (endpoint.getSpec().isFifo()) {
      var earlier = index.earlierUnfinished(delivery);
      if (earlier.isPresent()) {
        setReady(status, false, "WaitingForEarlier", "ordering: fifo: waits for delivery "
            + earlier.get().getMetadata().getName() + " to finish", generation, now);
        return FIFO_POLL;
      }
    }

    DeliveryProgress progress = progressOf(status);
    if (!DeliveryStateMachine.isDue(progress, now)) {
      return Duration.between(now, progress.nextAttemptTime());
    }
    var expired = DeliveryStateMachine.expireIfTooOld(progress, settings.retryPolicy(), now);
    if (expired.isPresent()) {
      applyProgress(status, expired.get());
      setReady(status, false, "Exhausted", "retry.maxAge passed before the next attempt could start", generation, now);
      return null;
    }

    if (!send) {
      pass.wantsAction = true;
      return Duration.ZERO;
    }
    // The slot first: a delivery waiting for one must not read the signing Secrets each time it looks.
    String endpointUid = endpoint.getMetadata().getUid();
    if (!slots.tryAcquire(endpointUid)) {
      return SLOT_RETRY;
    }
    WebhookRequest request;
    AttemptResult result;
    try {
      try {
        request = request(delivery, endpoint, settings, now);
      } catch (SigningSecretException e) {
        setReady(status, false, e.reason(), e.getMessage(), generation, now);
        return secretRetry;
      }
      result = send(request, settings.timeout());
    } finally {
      slots.release(endpointUid);
    }
    Instant finished = clock.instant();
    DeliveryProgress after =
        DeliveryStateMachine.afterAttempt(progress, DeliveryStatuses.outcomeOf(result), settings.retryPolicy(), now, finished);
    DeliveryStatuses.recordAttempt(status, after, result, now);
    metrics.attempt(delivery.getMetadata().getNamespace(), endpointName, result.errorClass(), Duration.ofMillis(result.durationMs()));
    if (after.phase() == DeliveryPhase.Exhausted) {
      metrics.exhausted(delivery.getMetadata().getNamespace(), endpointName);
    }
    describeAttempt(status, after, result, generation, finished);
    recordHealth(endpoint, result, after.phase() == DeliveryPhase.Exhausted, finished);
    LOG.atInfo()
        .addKeyValue("namespace", delivery.getMetadata().getNamespace())
        .addKeyValue("delivery", delivery.getMetadata().getName())
        .addKeyValue("endpoint", endpointName)
        .addKeyValue("webhookId", request.webhookId())
        .addKeyValue("attempt", after.attempts())
        .addKeyValue("statusCode", result.statusCode())
        .addKeyValue("errorClass", result.errorClass())
        .addKeyValue("durationMs", result.durationMs())
        .addKeyValue("phase", after.phase())
        .log("delivery {}/{} attempt {}: {} -> {}", delivery.getMetadata().getNamespace(), delivery.getMetadata().getName(),
            after.attempts(), result.succeeded() ? "HTTP " + result.statusCode() : result.errorClass() + " (" + result.message() + ")",
            after.phase());
    return after.nextAttemptTime() == null ? null : Duration.between(clock.instant(), after.nextAttemptTime());
  }

  private void recordHealth(WebhookEndpoint endpoint, AttemptResult result, boolean exhausted, Instant finished) {
    try {
      health.record(endpoint, DeliveryStatuses.errorOf(result), exhausted, finished);
    } catch (RuntimeException e) {
      // Failing the reconcile here would send the same attempt again; endpoint health is advisory.
      LOG.warn("endpoint {}: health not recorded: {}", endpoint.getMetadata().getName(), e.getMessage());
    }
  }

  private WebhookRequest request(
      WebhookDelivery delivery, WebhookEndpoint endpoint, EndpointSettings settings, Instant now)
      throws SigningSecretException {
    String webhookId = delivery.getSpec().getDeliveryId() != null ? delivery.getSpec().getDeliveryId() : delivery.getMetadata().getUid();
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(delivery.getSpec().getPayload());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree read from the API server always serializes", e);
    }
    return new WebhookRequest(
        settings.url(), webhookId, delivery.getSpec().getEventType(), body, settings.headers(),
        secrets.keysFor(endpoint, now), settings.timeout(), now);
  }

  private AttemptResult send(WebhookRequest request, Duration timeout) throws InterruptedException {
    try {
      // The sender enforces the deadline itself; the extra wait only guards against a lost callback.
      return sender.send(request).toCompletableFuture().get(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the webhook sender did not complete: " + e, e);
    }
  }

  private static void describeAttempt(
      WebhookDeliveryStatus status, DeliveryProgress after, AttemptResult result, Long generation, Instant now) {
    String outcome = result.succeeded() ? "HTTP " + result.statusCode() : result.errorClass() + ": " + result.message();
    String of = " (attempt " + after.attempts() + " of " + status.getMaxAttempts() + ")";
    switch (after.phase()) {
      case Succeeded -> setReady(status, true, "Delivered", outcome + of, generation, now);
      case Failed -> setReady(status, false, "Retrying", outcome + of + "; next attempt at " + status.getNextAttemptTime(), generation, now);
      default -> setReady(status, false, "Exhausted", outcome + of + "; no further retry", generation, now);
    }
  }

  private void announce(WebhookDelivery delivery, WebhookDeliveryStatus status) {
    Conditions.find(status.getConditions(), Conditions.READY)
        .ifPresent(
            ready -> {
              if (NORMAL_REASONS.contains(ready.getReason())) {
                events.normal(delivery, ready.getReason(), ready.getMessage());
              } else {
                events.warning(delivery, ready.getReason(), ready.getMessage());
              }
            });
  }

  private static DeliveryProgress cancelled(WebhookDeliveryStatus status, Instant now) {
    DeliveryProgress p = progressOf(status);
    return new DeliveryProgress(DeliveryPhase.Cancelled, p.attempts(), p.firstAttemptTime(), null, now);
  }

  private static void setReady(
      WebhookDeliveryStatus status, boolean ready, String reason, String message, Long generation, Instant now) {
    status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, ready, reason, message, generation, now));
  }

  private static String endpointName(WebhookDelivery d) {
    return DeliveryIndex.endpointName(d);
  }
}
