package dev.herald.delivery;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryReason;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.delivery.DeliveryDecision.Send;
import dev.herald.endpoint.EndpointCredentials;
import dev.herald.endpoint.EndpointHealth;
import dev.herald.endpoint.EndpointSecretException;
import dev.herald.endpoint.EndpointTls;
import dev.herald.endpoint.SigningKeys;
import dev.herald.http.WebhookRequest;
import dev.herald.http.WebhookSender;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.Fresh;
import dev.herald.kube.SpecOrAnnotationsChanged;
import dev.herald.kube.Times;
import dev.herald.metrics.DeliveryPickup;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.retention.Evictions;
import dev.herald.tracing.AttemptInfo;
import dev.herald.tracing.AttemptTracer;
import dev.herald.tracing.TraceContexts;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one delivery through the retry state machine: {@link DeliveryDecision} says what is due,
 * this carries it out (takes a slot, reads the signing keys, starts the attempt, writes the
 * status), and {@link AttemptRecorder} writes the result when the response arrives. Everything that
 * must survive a restart (attempts, next attempt time, the endpoint it is bound to) lives in
 * status.
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
            informerListLimit = DeliveryIndex.LIST_LIMIT))
public class WebhookDeliveryReconciler implements Reconciler<WebhookDelivery> {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryReconciler.class);

  /**
   * A delivery with no free slot is woken when one frees; it looks again after this at the latest.
   */
  static final Duration SLOT_FALLBACK = Duration.ofSeconds(10);

  /** A wait for the rate limit at least this long is written to the delivery's status. */
  static final Duration THROTTLED_NOTE = Duration.ofSeconds(1);

  private final WebhookSender sender;
  private final SigningKeys secrets;
  private final EndpointCredentials credentials;
  private final EndpointTls tls;
  private final DeliveryOptions options;
  private final Clock clock;
  private final AttemptsInFlight attempts;
  private final DeliveryWrites writes;
  private final AttemptRecorder recorder;
  private final DeliveryIndex index = new DeliveryIndex();
  private final Evictions evictions;
  private final EventRecorder events;
  private final AttemptTracer tracer;
  private final HeraldMetrics metrics;

  /** Wakes a delivery when its attempt's response arrives, so a reconcile records it. */
  private final SimpleInboundEventSource<WebhookDelivery> responses =
      new SimpleInboundEventSource<>("attempt-responses");

  /** Times a new delivery from the informer to its first POST (the last stage ends here). */
  private final DeliveryPickup pickup;

  public WebhookDeliveryReconciler(
      WebhookSender sender,
      SigningKeys secrets,
      EndpointCredentials credentials,
      EndpointHealth health,
      EventRecorder events,
      HeraldMetrics metrics,
      DeliveryOptions options,
      EndpointTls tls) {
    this(
        sender,
        secrets,
        credentials,
        health,
        events,
        metrics,
        options,
        new AttemptSlots(options.maxInFlight(), options.maxInFlightPerEndpoint()),
        tls,
        AttemptTracer.NONE);
  }

  /**
   * @param slots the in-flight limits, shared with every other path that sends (events' first
   *     attempts); {@code options}' limits are those of {@code slots}
   * @param tracer the span of each attempt and the trace context it sends
   */
  public WebhookDeliveryReconciler(
      WebhookSender sender,
      SigningKeys secrets,
      EndpointCredentials credentials,
      EndpointHealth health,
      EventRecorder events,
      HeraldMetrics metrics,
      DeliveryOptions options,
      AttemptSlots slots,
      EndpointTls tls,
      AttemptTracer tracer) {
    this.tls = tls;
    this.events = events;
    this.tracer = tracer;
    this.sender = sender;
    this.secrets = secrets;
    this.credentials = credentials;
    this.options = options;
    this.clock = options.clock();
    this.attempts = new AttemptsInFlight(slots);
    attempts.onSlotFree(responses::propagateEvent);
    this.writes = new DeliveryWrites(events);
    this.recorder = new AttemptRecorder(attempts, writes, health, metrics, clock);
    this.pickup = metrics.pickup();
    this.metrics = metrics;
    this.evictions =
        new Evictions(metrics, events, clock, "WebhookDelivery", DeliveryReason.BudgetExceeded);
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
            .withLabelSelector(options.labelSelector())
            .withPrimaryToSecondaryMapper(
                (WebhookDelivery d) ->
                    Set.of(
                        new ResourceID(
                            DeliveryIndex.endpointName(d), d.getMetadata().getNamespace())))
            .build();
    var endpoints = new InformerEventSource<>(config, context);
    return List.of(
        endpoints,
        responses,
        new FinishedDeliveries(
            context,
            endpoints,
            clock,
            options.historySweep(),
            options.finishedBudget(),
            evictions));
  }

  /**
   * Decides on the informer's copy whether anything is to be done; if so, acts on a copy that holds
   * every write this process made: the informer's when it has caught up, else one read from the API
   * server, decided on again. A decision to send taken on a copy without our last write would
   * repeat an attempt already made.
   */
  @Override
  public UpdateControl<WebhookDelivery> reconcile(
      WebhookDelivery cached, Context<WebhookDelivery> context) {
    if (writes.unwritable(cached)) {
      return UpdateControl.noUpdate();
    }
    var client = context.getClient();
    var parked = attempts.get(cached.getMetadata().getUid());
    if (parked.isPresent()) {
      return parked.get().open()
          ? UpdateControl.noUpdate()
          : after(recorder.record(cached, parked.get(), client));
    }
    Duration awaiting = FirstAttempts.awaitingStatus(cached, clock.instant());
    if (awaiting != null) {
      return after(awaiting); // the event that made attempt 1 is writing it to status
    }
    WebhookEndpoint endpoint =
        context
            .getSecondaryResource(WebhookEndpoint.class)
            .filter(e -> e.getMetadata().getDeletionTimestamp() == null)
            .orElse(null);
    Instant now = clock.instant();
    DeliveryDecision decision = decide(cached, endpoint, now);
    if (!(decision.action() instanceof Send)
        && !DeliveryStatuses.changed(cached, decision.status())
        && !DeliveryStatuses.labelsChanged(cached, decision.status())) {
      return after(decision.recheckAfter(now));
    }
    WebhookDelivery delivery = cached;
    if (!writes.holdsOurWrites(cached)) {
      delivery = Fresh.read(client, cached);
      if (delivery == null) {
        return UpdateControl.noUpdate();
      }
      decision = decide(delivery, endpoint, now);
    }
    if (decision.action() instanceof Send send) {
      // The slot first: a delivery waiting for one must not read the signing Secrets each time it
      // looks.
      String endpointUid = endpoint.getMetadata().getUid();
      var admission =
          attempts.tryAcquire(
              endpointUid,
              send.settings().rateLimit(),
              ResourceID.fromResource(delivery),
              dueSince(delivery, send));
      if (admission instanceof AttemptSlots.NoSlot) {
        // Nothing to tell yet: writing "Pending" for each of a thousand queued deliveries would
        // only load the API server. Woken when a slot frees; this only covers a lost wake-up.
        return after(SLOT_FALLBACK);
      }
      if (admission instanceof AttemptSlots.Paced paced) {
        return throttled(client, delivery, decision, paced, now);
      }
      Instant waitedSince = ((AttemptSlots.Granted) admission).waitedSince();
      if (waitedSince != null) {
        metrics.rateLimitWait(
            delivery.getMetadata().getNamespace(),
            DeliveryIndex.endpointName(delivery),
            Duration.between(waitedSince, now));
      }
      WebhookRequest request;
      try {
        request =
            send.request(delivery, secrets.keysFor(endpoint, now), credentials.of(endpoint), now);
        request = tls.applyTo(request, endpoint);
      } catch (EndpointSecretException e) { // signing keys, credentials and TLS material
        attempts.release(endpointUid);
        DeliveryStatuses.setReady(
            decision.status(),
            DeliveryReason.ofSecret(e.reason()),
            e.getMessage(),
            delivery.getMetadata().getGeneration(),
            now);
        writes.statusAndLabels(client, delivery, decision.status());
        return after(options.secretRetry());
      }
      start(delivery, decision, endpoint, send, request);
      return UpdateControl.noUpdate(); // the response wakes the delivery to record it
    }
    writes.statusAndLabels(client, delivery, decision.status());
    return after(decision.recheckAfter(now));
  }

  /**
   * Over the endpoint's rate: woken from the line when its turn is due. A wait of {@link
   * #THROTTLED_NOTE} or more is told once, in the Ready condition, when it begins (not at each
   * look, and not for short waits a reader would never see); the reschedule only covers a lost
   * wake-up.
   */
  private UpdateControl<WebhookDelivery> throttled(
      KubernetesClient client,
      WebhookDelivery delivery,
      DeliveryDecision decision,
      AttemptSlots.Paced paced,
      Instant now) {
    String namespace = delivery.getMetadata().getNamespace();
    String endpointName = DeliveryIndex.endpointName(delivery);
    if (paced.started()) {
      metrics.rateLimited(namespace, endpointName);
    }
    if (paced.turnIn().compareTo(THROTTLED_NOTE) >= 0 && !DeliveryStatuses.throttled(delivery)) {
      DeliveryStatuses.setReady(
          decision.status(),
          DeliveryReason.Throttled,
          "due; waits its turn under WebhookEndpoint "
              + endpointName
              + "'s rateLimit ("
              + paced.limit()
              + "): about "
              + Math.max(1, paced.turnIn().toSeconds())
              + "s, "
              + paced.ahead()
              + " ahead",
          delivery.getMetadata().getGeneration(),
          now);
      writes.statusAndLabels(client, delivery, decision.status());
    }
    return after(paced.turnIn().plus(SLOT_FALLBACK));
  }

  /** When the delivery became due, for its place in a paced line: oldest due first. */
  private static Instant dueSince(WebhookDelivery delivery, Send send) {
    Instant next = send.before().nextAttemptTime();
    return next != null ? next : Times.parse(delivery.getMetadata().getCreationTimestamp());
  }

  private DeliveryDecision decide(WebhookDelivery delivery, WebhookEndpoint endpoint, Instant now) {
    Optional<WebhookDelivery> earlier =
        endpoint != null && endpoint.getSpec() != null && endpoint.getSpec().isFifo()
            ? index.earlierUnfinished(delivery)
            : Optional.empty();
    return DeliveryDecision.decide(delivery, endpoint, earlier, now);
  }

  private static UpdateControl<WebhookDelivery> after(Duration requeue) {
    UpdateControl<WebhookDelivery> control = UpdateControl.noUpdate();
    if (requeue != null) {
      control.rescheduleAfter(requeue.isNegative() ? Duration.ZERO : requeue);
    }
    return control;
  }

  /** Unfinished deliveries per endpoint from the informer cache, for the pending gauges. */
  public List<HeraldMetrics.Pending> pendingSnapshot() {
    return index.pending(clock.instant());
  }

  /**
   * Stops starting attempts and waits until the open ones are recorded; false if {@code timeout}
   * ran out.
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    return attempts.drain(timeout);
  }

  /**
   * Sends without waiting: the reconcile thread returns at once and the response, on a Vert.x
   * thread, parks its result and wakes the delivery so that a reconcile records it.
   */
  private void start(
      WebhookDelivery delivery,
      DeliveryDecision decision,
      WebhookEndpoint endpoint,
      Send send,
      WebhookRequest request) {
    String uid = delivery.getMetadata().getUid();
    AttemptTracer.Span span = traceSpan(delivery, send, request);
    WebhookRequest traced = request.withTrace(span.outgoing());
    attempts.started(
        uid,
        new AttemptsInFlight.Sent(
            endpoint,
            delivery,
            decision.status(),
            send.before(),
            send.settings().retryPolicy(),
            request.webhookId(),
            request.attemptTime()));
    ResourceID id = ResourceID.fromResource(delivery);
    pickup.sent(delivery.getMetadata().getNamespace(), delivery.getMetadata().getName());
    sender
        .sendBounded(traced)
        .whenComplete(
            (result, error) -> {
              span.end(error == null ? result : WebhookSender.lost(request));
              if (error != null) {
                // the sender always completes within the timeout; if it did not, sending again is
                // safer than waiting forever
                LOG.error(
                    "delivery {}/{}: the webhook sender did not complete within {}; the attempt will be sent again",
                    delivery.getMetadata().getNamespace(),
                    delivery.getMetadata().getName(),
                    WebhookSender.bound(request),
                    error);
                attempts.forget(uid);
              } else {
                attempts.finished(uid, result, clock.instant());
              }
              responses.propagateEvent(id);
            });
  }

  /**
   * The attempt's span, a child of the delivery's {@code spec.traceContext}; a trace context that
   * is not valid is left out (a Warning Event says so) and never holds the attempt back.
   */
  private AttemptTracer.Span traceSpan(
      WebhookDelivery delivery, Send send, WebhookRequest request) {
    TraceContexts.Read trace =
        TraceContexts.read(delivery.getSpec().getTraceContext(), "spec.traceContext");
    if (trace.problem() != null) {
      events.emit(delivery, DeliveryReason.InvalidTraceContext, trace.problem());
    }
    return tracer.start(
        AttemptInfo.ofDelivery(
            delivery,
            DeliveryIndex.endpointName(delivery),
            AttemptRecorder.eventOf(delivery),
            send.before().attempts() + 1,
            request),
        trace.headers());
  }
}
