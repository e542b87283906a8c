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
import dev.herald.endpoint.SigningKeys;
import dev.herald.endpoint.SigningSecretException;
import dev.herald.http.AttemptResult;
import dev.herald.http.WebhookRequest;
import dev.herald.http.WebhookSender;
import dev.herald.kube.Annotations;
import dev.herald.kube.Conditions;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.Fresh;
import dev.herald.kube.LabelValues;
import dev.herald.kube.Patches;
import dev.herald.kube.SpecOrAnnotationsChanged;
import dev.herald.kube.StatusWrites;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.retry.DeliveryProgress;
import dev.herald.retry.DeliveryStateMachine;
import dev.herald.retry.RetryPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one delivery through the retry state machine: when an attempt is due it sends it, records
 * the outcome in status and requeues at the next attempt time. Everything that must survive a
 * restart (attempts, next attempt time, the endpoint it is bound to) lives in status.
 */
@ControllerConfiguration(
    name = "webhookdelivery",
    generationAwareEventProcessing = false,
    // Finished deliveries leave this cache (FinishedDeliveries keeps a trimmed copy for history
    // and replay): memory follows the work in flight, not the history.
    informer =
        @Informer(
            onUpdateFilter = SpecOrAnnotationsChanged.class,
            labelSelector = Herald.SELECT_UNFINISHED,
            informerListLimit = WebhookDeliveryReconciler.INFORMER_LIST_LIMIT))
public class WebhookDeliveryReconciler implements Reconciler<WebhookDelivery> {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryReconciler.class);

  /**
   * Herald's limits: a payload as deep as the API server admits must serialize as the request body.
   */
  private static final ObjectMapper JSON = dev.herald.kube.KubeJson.mapper();

  /** What the API server answers when a JSON Patch "test" fails. */
  private static final int UNPROCESSABLE = 422;

  private static final Set<String> NORMAL_REASONS =
      Set.of("Delivered", "Replayed", "Cancelled", "EndpointPaused");

  private final WebhookSender sender;
  private final SigningKeys secrets;
  private final EndpointHealth health;
  private final EventRecorder events;
  private final Clock clock;

  /** A Secret we cannot read is looked at again at this pace, not in a hot loop. */
  private final Duration secretRetry;

  private final AttemptsInFlight attempts;
  private final HeraldMetrics metrics;

  /** Wakes a delivery when its attempt's response arrives, so a reconcile records it. */
  private final SimpleInboundEventSource<WebhookDelivery> responses =
      new SimpleInboundEventSource<>("attempt-responses");

  private final DeliveryIndex index = new DeliveryIndex();
  private final WrittenVersions versions = new WrittenVersions();

  /**
   * Deliveries the API server refuses every status (or label) write for: left alone until the
   * operator restarts, so that one of them cannot make Herald send, or write, in a loop.
   */
  private final Set<String> unwritable = ConcurrentHashMap.newKeySet();

  /**
   * Added to an endpoint's timeout: a request still open after that never completes (a bug) and is
   * sent again.
   */
  static final Duration LOST_RESPONSE_GRACE = Duration.ofSeconds(30);

  /** Longest wait between tries to record a parked result when status writes keep failing. */
  static final Duration MAX_RECORD_BACKOFF = Duration.ofSeconds(30);

  /**
   * A delivery with no free slot is woken when one frees; it looks again after this at the latest.
   */
  static final Duration SLOT_FALLBACK = Duration.ofSeconds(10);

  /** How often a delivery held by ordering: fifo looks whether its turn has come. */
  static final Duration FIFO_POLL = Duration.ofSeconds(1);

  /**
   * Page size of the informers' initial lists, so a large backlog is not fetched in one response.
   */
  public static final long INFORMER_LIST_LIMIT = 500;

  /** How often finished deliveries are checked against retention. */
  private final Duration historySweep;

  /** The operator's shard (--label-selector): endpoints outside it are not cached; null: all. */
  private final String labelSelector;

  public WebhookDeliveryReconciler(
      WebhookSender sender,
      SigningKeys secrets,
      EndpointHealth health,
      EventRecorder events,
      Clock clock,
      Duration secretRetry,
      int maxInFlight,
      int maxInFlightPerEndpoint,
      HeraldMetrics metrics,
      String labelSelector,
      Duration historySweep) {
    this.metrics = metrics;
    this.labelSelector = labelSelector;
    this.historySweep = historySweep;
    this.secretRetry = secretRetry;
    this.attempts = new AttemptsInFlight(maxInFlight, maxInFlightPerEndpoint);
    attempts.onSlotFree(responses::propagateEvent);
    this.sender = sender;
    this.secrets = secrets;
    this.health = health;
    this.events = events;
    this.clock = clock;
  }

  /** Endpoint changes (URL edits, pause, deletion) wake the deliveries that name the endpoint. */
  @Override
  public List<EventSource<?, WebhookDelivery>> prepareEventSources(
      EventSourceContext<WebhookDelivery> context) {
    index.attach(context.getPrimaryCache());
    var config =
        InformerEventSourceConfiguration.from(WebhookEndpoint.class, WebhookDelivery.class)
            .withSecondaryToPrimaryMapper(
                (WebhookEndpoint e) ->
                    index
                        .ofEndpoint(e.getMetadata().getNamespace(), e.getMetadata().getName())
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withOnUpdateFilter(new EndpointChangeMattersToDeliveries())
            .withLabelSelector(labelSelector)
            .withPrimaryToSecondaryMapper(
                (WebhookDelivery d) ->
                    Set.of(new ResourceID(endpointName(d), d.getMetadata().getNamespace())))
            .build();
    var endpoints = new InformerEventSource<>(config, context);
    return List.of(
        endpoints, responses, new FinishedDeliveries(context, endpoints, clock, historySweep));
  }

  /**
   * Decides on the informer's copy whether anything is to be done; if so, acts on a copy that holds
   * every write this process made: the informer's when it has caught up, else one read from the API
   * server. A decision to send taken on a copy without our last write would repeat an attempt
   * already made.
   */
  @Override
  public UpdateControl<WebhookDelivery> reconcile(
      WebhookDelivery cached, Context<WebhookDelivery> context) {
    if (unwritable.contains(cached.getMetadata().getUid())) {
      return UpdateControl.noUpdate();
    }
    var parked = attempts.get(cached.getMetadata().getUid());
    if (parked.isPresent()) {
      return parked.get().open() ? UpdateControl.noUpdate() : record(cached, parked.get(), context);
    }
    WebhookEndpoint endpoint =
        context
            .getSecondaryResource(WebhookEndpoint.class)
            .filter(e -> e.getMetadata().getDeletionTimestamp() == null)
            .orElse(null);
    var serialization = context.getClient().getKubernetesSerialization();

    Pass dryRun =
        new Pass(
            cached,
            serialization.clone(
                cached.getStatus() == null ? new WebhookDeliveryStatus() : cached.getStatus()));
    Duration requeue = step(dryRun, endpoint, false);
    if (!dryRun.wantsAction && !dryRun.changes(serialization::asJson)) {
      return reschedule(UpdateControl.noUpdate(), requeue);
    }

    WebhookDelivery fresh =
        versions.holdsOurWrites(cached) ? cached : Fresh.read(context.getClient(), cached);
    if (fresh == null) {
      return UpdateControl.noUpdate();
    }
    Pass pass =
        new Pass(
            fresh,
            serialization.clone(
                fresh.getStatus() == null ? new WebhookDeliveryStatus() : fresh.getStatus()));
    requeue = step(pass, endpoint, true);
    if (pass.attempt != null) {
      start(pass);
      return UpdateControl.noUpdate(); // the response wakes the delivery to record it
    }
    if (pass.waitingForSlot) {
      // Nothing to tell yet: writing "Pending" for each of a thousand queued deliveries would only
      // load the API server.
      return reschedule(UpdateControl.noUpdate(), requeue);
    }
    write(context, pass, serialization::asJson);
    return reschedule(UpdateControl.noUpdate(), requeue);
  }

  /** Unfinished deliveries per endpoint from the informer cache, for the pending gauges. */
  public List<HeraldMetrics.Pending> pendingSnapshot() {
    return index.pending(clock.instant());
  }

  private static UpdateControl<WebhookDelivery> reschedule(
      UpdateControl<WebhookDelivery> control, Duration requeue) {
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

    /** An attempt to send, with a slot taken for it. */
    PendingSend attempt;

    /** Due, but no slot was free: queued to be woken. */
    boolean waitingForSlot;

    Pass(WebhookDelivery delivery, WebhookDeliveryStatus status) {
      this.delivery = delivery;
      this.status = status;
      if (status.getPhase() == null) {
        applyProgress(status, DeliveryProgress.initial());
      }
    }

    Map<String, String> wantedLabels() {
      // a reference that is no object name ("other/ep") is no label value either: it would be
      // refused at every try
      return DeliverySpecs.isObjectName(endpointName(delivery))
          ? Map.of(
              Herald.LABEL_ENDPOINT,
              LabelValues.orHash(endpointName(delivery)),
              Herald.LABEL_PHASE,
              status.getPhase().name())
          : Map.of(Herald.LABEL_PHASE, status.getPhase().name());
    }

    boolean labelsChanged() {
      Map<String, String> labels =
          delivery.getMetadata().getLabels() == null
              ? Map.of()
              : delivery.getMetadata().getLabels();
      return !labels.entrySet().containsAll(wantedLabels().entrySet());
    }

    boolean statusChanged(Function<Object, String> json) {
      status.setObservedGeneration(delivery.getMetadata().getGeneration());
      return delivery.getStatus() == null
          || !json.apply(delivery.getStatus()).equals(json.apply(status));
    }

    boolean changes(Function<Object, String> json) {
      return statusChanged(json) || labelsChanged();
    }
  }

  private void write(Context<WebhookDelivery> context, Pass pass, Function<Object, String> json) {
    writeStatus(context, pass, json);
    writeLabels(context, pass);
  }

  private void writeStatus(
      Context<WebhookDelivery> context, Pass pass, Function<Object, String> json) {
    if (pass.statusChanged(json)) {
      try {
        versions.wrote(
            Patches.replaceStatus(
                context.getClient(), WebhookDelivery.class, pass.delivery, pass.status));
      } catch (KubernetesClientException e) {
        if (!StatusWrites.neverSucceeds(e)) {
          throw e;
        }
        giveUp(pass.delivery, "the API server refuses its status (" + refusal(e) + ")");
        return;
      }
      announceIfReasonChanged(pass);
    }
  }

  /** After the status, so a label never claims a phase the status does not show yet. */
  private void writeLabels(Context<WebhookDelivery> context, Pass pass) {
    if (pass.labelsChanged()) {
      try {
        versions.wrote(
            Patches.mergeLabels(
                context.getClient(), WebhookDelivery.class, pass.delivery, pass.wantedLabels()));
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return; // deleted since its status was written: nothing left to label
        }
        if (!StatusWrites.neverSucceeds(e)) {
          throw e;
        }
        giveUp(pass.delivery, "the API server refuses its phase label (" + refusal(e) + ")");
      }
    }
  }

  /**
   * Advances the status by at most one attempt; returns when to look again (null: on events only).
   */
  private Duration step(Pass pass, WebhookEndpoint endpoint, boolean send) {
    WebhookDelivery delivery = pass.delivery;
    WebhookDeliveryStatus status = pass.status;
    Instant now = clock.instant();
    Long generation = delivery.getMetadata().getGeneration();
    String endpointName = endpointName(delivery);
    String replay = Annotations.get(delivery, Herald.ANNOTATION_REPLAY);
    boolean replayRequested = replay != null && !replay.equals(status.getObservedReplay());

    String boundUid = status.getEndpointUid();
    boolean endpointGone =
        boundUid != null && (endpoint == null || !boundUid.equals(endpoint.getMetadata().getUid()));
    if (endpointGone && (status.getPhase() != DeliveryPhase.Cancelled || replayRequested)) {
      // Deliveries stay bound to the endpoint incarnation they were created for: a re-created
      // endpoint of the same name is a different receiver with a different secret.
      if (status.getPhase() != DeliveryPhase.Cancelled && !status.getPhase().isFinished()) {
        applyProgress(status, cancelled(status, now));
      }
      status.setObservedReplay(replay);
      if (status.getPhase() == DeliveryPhase.Cancelled) {
        setReady(
            status,
            false,
            "Cancelled",
            "WebhookEndpoint "
                + endpointName
                + " was deleted; this delivery is kept for audit and will not be sent",
            generation,
            now);
      } else {
        setReady(
            status,
            false,
            "ReplayIgnored",
            "replay ignored: WebhookEndpoint " + endpointName + " was deleted",
            generation,
            now);
      }
      return null;
    }

    if (replayRequested) {
      status.setObservedReplay(replay);
      applyProgress(status, DeliveryStateMachine.replay());
      setReady(
          status,
          false,
          "Replayed",
          "replay requested: the same payload and webhook-id are sent again",
          generation,
          now);
    }

    if (status.getPhase().isFinished()) {
      return null; // retention is HistorySweeper's
    }
    var invalid = DeliverySpecs.problem(delivery.getSpec());
    if (invalid.isPresent()) {
      // held, never sent: a CR or LF in a header value would fail every attempt as a connection
      // error
      setReady(status, false, "InvalidSpec", invalid.get(), generation, now);
      return null;
    }
    if (endpoint == null) {
      setReady(
          status,
          false,
          "EndpointNotFound",
          "WebhookEndpoint " + endpointName + " does not exist (yet); the delivery waits for it",
          generation,
          now);
      return null;
    }
    status.setEndpointUid(endpoint.getMetadata().getUid());

    EndpointSettings settings;
    try {
      settings = EndpointSettings.of(endpoint.getSpec());
    } catch (InvalidEndpointException e) {
      setReady(
          status,
          false,
          "InvalidEndpoint",
          "WebhookEndpoint " + endpointName + ": " + e.getMessage(),
          generation,
          now);
      return null;
    }
    status.setMaxAttempts(settings.retryPolicy().maxAttempts());

    if (FailurePolicy.isPaused(endpoint)) {
      // Held, not lost: a paused endpoint's deliveries read Pending until it resumes.
      status.setPhase(DeliveryPhase.Pending);
      var auto = endpoint.getStatus() == null ? null : endpoint.getStatus().getAutoPaused();
      setReady(
          status,
          false,
          "EndpointPaused",
          auto == null || endpoint.getSpec().isPaused()
              ? "WebhookEndpoint " + endpointName + " is paused"
              : "WebhookEndpoint "
                  + endpointName
                  + " was paused by its failurePolicy: "
                  + auto.getMessage(),
          generation,
          now);
      return null;
    }

    if (!EventTypes.matches(
        endpoint.getSpec().getEventTypes(), delivery.getSpec().getEventType())) {
      // Held, not dropped: editing spec.eventTypes releases it.
      setReady(
          status,
          false,
          "EventTypeNotSubscribed",
          "WebhookEndpoint "
              + endpointName
              + " does not subscribe to "
              + delivery.getSpec().getEventType()
              + " (spec.eventTypes)",
          generation,
          now);
      return null;
    }

    if (endpoint.getSpec().isFifo()) {
      var earlier = index.earlierUnfinished(delivery);
      if (earlier.isPresent()) {
        setReady(
            status,
            false,
            "WaitingForEarlier",
            "ordering: fifo: waits for delivery "
                + earlier.get().getMetadata().getName()
                + " to finish",
            generation,
            now);
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
      setReady(
          status,
          false,
          "Exhausted",
          "retry.maxAge passed before the next attempt could start",
          generation,
          now);
      return null;
    }

    if (!send) {
      pass.wantsAction = true;
      return Duration.ZERO;
    }
    // The slot first: a delivery waiting for one must not read the signing Secrets each time it
    // looks.
    String endpointUid = endpoint.getMetadata().getUid();
    if (!attempts.tryAcquire(endpointUid, ResourceID.fromResource(delivery))) {
      pass.waitingForSlot = true;
      return SLOT_FALLBACK; // woken when a slot frees; this only covers a wake-up that was lost
    }
    try {
      pass.attempt =
          new PendingSend(
              request(delivery, endpoint, settings, now),
              endpoint,
              settings.retryPolicy(),
              progress,
              now);
    } catch (SigningSecretException e) {
      attempts.release(endpointUid);
      setReady(status, false, e.reason(), e.getMessage(), generation, now);
      return secretRetry;
    }
    return null;
  }

  /** An attempt decided on a fresh copy, its slot taken; {@link #start} sends it. */
  private record PendingSend(
      WebhookRequest request,
      WebhookEndpoint endpoint,
      RetryPolicy policy,
      DeliveryProgress before,
      Instant started) {}

  /**
   * Sends without waiting: the reconcile thread returns at once and the response, on a Vert.x
   * thread, parks its result and wakes the delivery so that a reconcile records it.
   */
  private void start(Pass pass) {
    PendingSend send = pass.attempt;
    WebhookDelivery delivery = pass.delivery;
    String uid = delivery.getMetadata().getUid();
    pass.status.setObservedGeneration(delivery.getMetadata().getGeneration());
    attempts.started(
        uid,
        new AttemptsInFlight.Attempt(
            send.endpoint().getMetadata().getUid(),
            send.endpoint(),
            delivery,
            pass.status,
            send.before(),
            send.policy(),
            send.request().webhookId(),
            send.started(),
            null,
            null,
            0,
            false));
    ResourceID id = ResourceID.fromResource(delivery);
    Duration bound = send.request().timeout().plus(LOST_RESPONSE_GRACE);
    sender
        .send(send.request())
        .toCompletableFuture()
        .orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                // the sender always completes within the timeout; if it did not, sending again is
                // safer than waiting forever
                LOG.error(
                    "delivery {}/{}: the webhook sender did not complete within {}; the attempt will be sent again",
                    delivery.getMetadata().getNamespace(),
                    delivery.getMetadata().getName(),
                    bound,
                    error);
                attempts.forget(uid);
              } else {
                attempts.finished(uid, result, clock.instant());
              }
              responses.propagateEvent(id);
            });
  }

  /**
   * Writes a parked attempt result to status. If the write fails the result stays parked and is
   * written on a later try, without sending the attempt again.
   */
  private UpdateControl<WebhookDelivery> record(
      WebhookDelivery cached, AttemptsInFlight.Attempt attempt, Context<WebhookDelivery> context) {
    String uid = cached.getMetadata().getUid();
    var client = context.getClient();
    var serialization = client.getKubernetesSerialization();
    AttemptResult result = attempt.result();
    DeliveryProgress after =
        DeliveryStateMachine.afterAttempt(
            attempt.before(),
            DeliveryStatuses.outcomeOf(result),
            attempt.policy(),
            attempt.started(),
            attempt.finished());
    if (attempts.healthPending(uid)) {
      // once per attempt, however many tries its status write takes
      recordHealth(
          attempt.endpoint(), result, after.phase() == DeliveryPhase.Exhausted, attempt.finished());
      attempts.healthRecorded(uid);
    }
    Pass pass = null;
    WebhookDelivery base = attempt.base();
    String refused = null; // why the full status cannot be written
    try {
      try {
        // Usually nothing touched the delivery while its request was open: write without reading
        // first.
        pass = recordedOn(base, attempt, after, serialization);
        refused =
            StatusWrites.overLimit(serialization, base.getMetadata(), base.getSpec(), pass.status);
        if (refused == null) {
          writeRecord(client, pass);
        }
      } catch (KubernetesClientException e) {
        if (StatusWrites.neverSucceeds(e)
            || e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != UNPROCESSABLE) {
          throw e;
        }
        WebhookDelivery fresh = Fresh.read(client, cached);
        if (fresh == null) {
          attempts.forget(uid);
          return UpdateControl.noUpdate();
        }
        if (!Objects.equals(
            statusJson(fresh, serialization), statusJson(attempt.base(), serialization))) {
          // Only this operator writes status, so this takes a second writer (e.g. a replica that
          // wrongly believed it led): do not overwrite its record; decide afresh.
          LOG.warn(
              "delivery {}/{}: status changed while attempt {} was open; its result is not recorded",
              fresh.getMetadata().getNamespace(),
              fresh.getMetadata().getName(),
              after.attempts());
          attempts.forget(uid);
          return reschedule(UpdateControl.noUpdate(), Duration.ZERO);
        }
        base = fresh;
        pass =
            recordedOn(fresh, attempt, after, serialization); // labels or annotations changed: fine
        refused =
            StatusWrites.overLimit(serialization, base.getMetadata(), base.getSpec(), pass.status);
        if (refused == null) {
          writeRecord(client, pass);
        }
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        attempts.forget(uid); // deleted while its request was open: nothing left to record
        return UpdateControl.noUpdate();
      }
      if (!StatusWrites.neverSucceeds(e)) {
        return recordLater(cached, uid, e);
      }
      refused = refusal(e);
    }
    if (refused != null) {
      try {
        pass = recordSmaller(base, attempt, after, serialization, client, refused);
      } catch (KubernetesClientException again) {
        return recordLater(cached, uid, again);
      }
      if (pass == null) {
        attempts.forget(uid);
        return UpdateControl.noUpdate();
      }
      after = progressOf(pass.status);
    }
    attempts.forget(uid);
    afterRecorded(pass.delivery, attempt, after);
    writeLabels(
        context, pass); // a finished phase label takes the delivery out of this controller's cache
    Duration next =
        after.nextAttemptTime() == null
            ? null
            : Duration.between(clock.instant(), after.nextAttemptTime());
    return reschedule(UpdateControl.noUpdate(), next);
  }

  private UpdateControl<WebhookDelivery> recordLater(
      WebhookDelivery cached, String uid, KubernetesClientException e) {
    Duration backoff = recordBackoff(attempts.recordFailed(uid));
    LOG.warn(
        "delivery {}/{}: attempt result not recorded yet ({} {}); trying again in {}",
        cached.getMetadata().getNamespace(),
        cached.getMetadata().getName(),
        e.getCode(),
        e.getStatus() == null ? e.getMessage() : e.getStatus().getReason(),
        backoff);
    return reschedule(UpdateControl.noUpdate(), backoff);
  }

  /**
   * The attempt's status cannot be written as it is (too large beside a large payload, or refused
   * by the schema), so the same write can never succeed. First the status is compacted to the
   * newest attempt record, and the delivery goes on. If that is refused too, a minimal status ends
   * the delivery (Exhausted, reason StatusRejected; Succeeded if this attempt was delivered): its
   * attempts could never be recorded, so none is sent again. If not even that fits, an Event says
   * so and the delivery is left alone while this process runs.
   *
   * @return the pass written, or null when nothing could be
   */
  private Pass recordSmaller(
      WebhookDelivery base,
      AttemptsInFlight.Attempt attempt,
      DeliveryProgress after,
      KubernetesSerialization serialization,
      KubernetesClient client,
      String why) {
    Long generation = base.getMetadata().getGeneration();
    Pass compacted = recordedOn(base, attempt, after, serialization);
    DeliveryStatuses.compact(compacted.status);
    Conditions.find(compacted.status.getConditions(), Conditions.READY)
        .ifPresent(
            ready ->
                setReady(
                    compacted.status,
                    "True".equals(ready.getStatus()),
                    ready.getReason(),
                    ready.getMessage()
                        + "; older attempt records were dropped: the API"
                        + " server refused the full status ("
                        + why
                        + ")",
                    generation,
                    attempt.finished()));
    if (StatusWrites.overLimit(serialization, base.getMetadata(), base.getSpec(), compacted.status)
        == null) {
      try {
        writeRecord(client, compacted);
        return compacted;
      } catch (KubernetesClientException e) {
        if (!StatusWrites.neverSucceeds(e)) {
          throw e;
        }
      }
    }
    DeliveryProgress end =
        after.phase() == DeliveryPhase.Failed
            ? new DeliveryProgress(
                DeliveryPhase.Exhausted,
                after.attempts(),
                after.firstAttemptTime(),
                null,
                attempt.finished())
            : after;
    Pass terminal =
        new Pass(
            base, DeliveryStatuses.minimal(recordedOn(base, attempt, end, serialization).status));
    String message =
        "the API server refuses every status that records this delivery's attempts ("
            + why
            + "); its attempt log is dropped and it is not sent again";
    if (end.phase() == DeliveryPhase.Succeeded) {
      setReady(
          terminal.status,
          true,
          "Delivered",
          "HTTP " + attempt.result().statusCode() + " (attempt " + end.attempts() + "); " + message,
          generation,
          attempt.finished());
    } else {
      setReady(terminal.status, false, "StatusRejected", message, generation, attempt.finished());
    }
    String ended =
        "; attempt "
            + end.attempts()
            + " ended "
            + (attempt.result().succeeded()
                ? "HTTP " + attempt.result().statusCode()
                : attempt.result().errorClass());
    String over =
        StatusWrites.overLimit(serialization, base.getMetadata(), base.getSpec(), terminal.status);
    if (over != null) {
      giveUp(base, "not even a minimal status fits beside its spec (" + over + ")" + ended);
      return null;
    }
    try {
      writeRecord(client, terminal);
      return terminal;
    } catch (KubernetesClientException e) {
      if (!StatusWrites.neverSucceeds(e)) {
        throw e;
      }
      giveUp(base, "the API server refuses even a minimal status (" + refusal(e) + ")" + ended);
      return null;
    }
  }

  /**
   * Nothing can be written to the delivery: say so once, and leave it alone while this process
   * runs.
   */
  private void giveUp(WebhookDelivery delivery, String why) {
    if (unwritable.add(delivery.getMetadata().getUid())) {
      String message =
          why
              + "; Herald leaves this delivery alone (it is tried once more after an operator restart):"
              + " make it smaller or delete it";
      LOG.warn(
          "delivery {}/{}: {}",
          delivery.getMetadata().getNamespace(),
          delivery.getMetadata().getName(),
          message);
      events.warning(delivery, "StatusRejected", message);
    }
  }

  /** What the API server said, short: never the object, which its message does not quote anyway. */
  private static String refusal(KubernetesClientException e) {
    String message =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    return e.getCode() + " " + DeliveryStatuses.cut(message, 200);
  }

  /** The status to write for a finished attempt, on top of the status computed when it was sent. */
  private Pass recordedOn(
      WebhookDelivery delivery,
      AttemptsInFlight.Attempt attempt,
      DeliveryProgress after,
      KubernetesSerialization serialization) {
    Pass pass = new Pass(delivery, serialization.clone(attempt.sendStatus()));
    DeliveryStatuses.recordAttempt(pass.status, after, attempt.result(), attempt.started());
    describeAttempt(
        pass.status,
        after,
        attempt.result(),
        delivery.getMetadata().getGeneration(),
        attempt.finished());
    pass.status.setObservedGeneration(delivery.getMetadata().getGeneration());
    return pass;
  }

  private void writeRecord(KubernetesClient client, Pass pass) {
    versions.wrote(
        Patches.replaceStatusIfUnchanged(
            client, WebhookDelivery.class, pass.delivery, pass.status));
    announceIfReasonChanged(pass);
  }

  /**
   * An Event when the Ready reason changed with the status just written (not for a first-try
   * success).
   */
  private void announceIfReasonChanged(Pass pass) {
    var before = pass.delivery.getStatus();
    if (Conditions.reasonChanged(
            before == null ? null : before.getConditions(),
            pass.status.getConditions(),
            Conditions.READY)
        && !deliveredAtFirstTry(pass.status)) {
      announce(pass.delivery, pass.status);
    }
  }

  private static String statusJson(
      WebhookDelivery delivery, KubernetesSerialization serialization) {
    return delivery.getStatus() == null ? null : serialization.asJson(delivery.getStatus());
  }

  static Duration recordBackoff(int failures) {
    long millis = 500L << Math.min(failures - 1, 10);
    return millis > MAX_RECORD_BACKOFF.toMillis() ? MAX_RECORD_BACKOFF : Duration.ofMillis(millis);
  }

  /** Metrics, endpoint health and the log line: once per attempt, after its status is written. */
  private void afterRecorded(
      WebhookDelivery delivery, AttemptsInFlight.Attempt attempt, DeliveryProgress after) {
    AttemptResult result = attempt.result();
    String endpointName = endpointName(delivery);
    metrics.attempt(
        delivery.getMetadata().getNamespace(),
        endpointName,
        result.errorClass(),
        Duration.ofMillis(result.durationMs()));
    if (after.phase() == DeliveryPhase.Exhausted) {
      metrics.exhausted(delivery.getMetadata().getNamespace(), endpointName);
    }
    LOG.atInfo()
        .addKeyValue("namespace", delivery.getMetadata().getNamespace())
        .addKeyValue("delivery", delivery.getMetadata().getName())
        .addKeyValue("endpoint", endpointName)
        .addKeyValue("webhookId", attempt.webhookId())
        .addKeyValue("attempt", after.attempts())
        .addKeyValue("statusCode", result.statusCode())
        .addKeyValue("errorClass", result.errorClass())
        .addKeyValue("durationMs", result.durationMs())
        .addKeyValue("phase", after.phase())
        .log(
            "delivery {}/{} attempt {}: {} -> {}",
            delivery.getMetadata().getNamespace(),
            delivery.getMetadata().getName(),
            after.attempts(),
            result.succeeded()
                ? "HTTP " + result.statusCode()
                : result.errorClass() + " (" + result.message() + ")",
            after.phase());
  }

  /**
   * Stops starting attempts and waits until the open ones are recorded; false if {@code timeout}
   * ran out.
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    return attempts.drain(timeout);
  }

  private void recordHealth(
      WebhookEndpoint endpoint, AttemptResult result, boolean exhausted, Instant finished) {
    try {
      health.record(endpoint, DeliveryStatuses.errorOf(result), exhausted, finished);
    } catch (RuntimeException e) {
      // Failing the reconcile here would send the same attempt again; endpoint health is advisory.
      LOG.warn(
          "endpoint {}: health not recorded: {}", endpoint.getMetadata().getName(), e.getMessage());
    }
  }

  private WebhookRequest request(
      WebhookDelivery delivery, WebhookEndpoint endpoint, EndpointSettings settings, Instant now)
      throws SigningSecretException {
    String webhookId =
        delivery.getSpec().getDeliveryId() != null
            ? delivery.getSpec().getDeliveryId()
            : delivery.getMetadata().getUid();
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(delivery.getSpec().getPayload());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree read from the API server always serializes", e);
    }
    return new WebhookRequest(
        settings.url(),
        webhookId,
        delivery.getSpec().getEventType(),
        body,
        settings.headers(),
        secrets.keysFor(endpoint, now),
        settings.timeout(),
        now);
  }

  private static void describeAttempt(
      WebhookDeliveryStatus status,
      DeliveryProgress after,
      AttemptResult result,
      Long generation,
      Instant now) {
    String outcome =
        result.succeeded()
            ? "HTTP " + result.statusCode()
            : result.errorClass() + ": " + result.message();
    String of = " (attempt " + after.attempts() + " of " + status.getMaxAttempts() + ")";
    switch (after.phase()) {
      case Succeeded -> setReady(status, true, "Delivered", outcome + of, generation, now);
      case Failed ->
          setReady(
              status,
              false,
              "Retrying",
              outcome + of + "; next attempt at " + status.getNextAttemptTime(),
              generation,
              now);
      default ->
          setReady(
              status, false, "Exhausted", outcome + of + "; no further retry", generation, now);
    }
  }

  /**
   * A first-try success is plain in status; an Event for each would double the objects etcd stores
   * per delivery. Successes after failures or a replay are announced.
   */
  static boolean deliveredAtFirstTry(WebhookDeliveryStatus status) {
    return status.getPhase() == DeliveryPhase.Succeeded
        && Integer.valueOf(1).equals(status.getAttempts())
        && status.getObservedReplay() == null;
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
    return new DeliveryProgress(
        DeliveryPhase.Cancelled, p.attempts(), p.firstAttemptTime(), null, now);
  }

  private static void setReady(
      WebhookDeliveryStatus status,
      boolean ready,
      String reason,
      String message,
      Long generation,
      Instant now) {
    status.setConditions(
        Conditions.set(
            status.getConditions(), Conditions.READY, ready, reason, message, generation, now));
  }

  private static String endpointName(WebhookDelivery d) {
    return DeliveryIndex.endpointName(d);
  }
}
