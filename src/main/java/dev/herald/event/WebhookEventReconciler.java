package dev.herald.event;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointOutcome;
import dev.herald.api.v1alpha1.EventReason;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.api.v1alpha1.WebhookEventStatus;
import dev.herald.delivery.AttemptRequests;
import dev.herald.delivery.AttemptSlots;
import dev.herald.delivery.FirstAttempts;
import dev.herald.endpoint.EndpointCredentials;
import dev.herald.endpoint.EndpointHealth;
import dev.herald.endpoint.EndpointSecretException;
import dev.herald.endpoint.EndpointTls;
import dev.herald.endpoint.SigningKeys;
import dev.herald.event.Routes.Route;
import dev.herald.event.Routes.Way;
import dev.herald.http.AttemptResult;
import dev.herald.http.WebhookRequest;
import dev.herald.http.WebhookSender;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.LabelValues;
import dev.herald.kube.MetadataLists;
import dev.herald.kube.Patches;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.tracing.AttemptInfo;
import dev.herald.tracing.AttemptTracer;
import dev.herald.tracing.TraceContexts;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an event once. Each endpoint of the namespace the event is for ({@link Targets}) gets
 * its first attempt straight from the event, with the request a delivery would send ({@link
 * AttemptRequests}); a WebhookDelivery is created only where that attempt failed (with the attempt
 * in its status, so the state machine carries on from attempt 2) and for endpoints whose rules a
 * delivery keeps ({@link Routes}: paused, fifo, recordSuccesses, not Ready, no free slot). One
 * status write on the event then says where it went.
 *
 * <p>Attempts never block a reconcile thread: the responses are parked in a {@link Publication} and
 * the last one wakes the event. Slots are shared with the deliveries ({@link AttemptSlots}).
 *
 * <p>At least once: deliveries are created before the event's status is written, under names that
 * derive from the event id. A crash before that write publishes the event again after the restart:
 * an endpoint that already has this event's delivery is left to it, every other one is sent again
 * with the same webhook-id. A name taken by a delivery that is not this event's is reported ({@code
 * Conflict}), never a reason to skip the endpoint.
 */
@ControllerConfiguration(name = "webhookevent")
public class WebhookEventReconciler implements Reconciler<WebhookEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookEventReconciler.class);

  /**
   * A publication whose attempts all returned this long ago and that is still not recorded belongs
   * to an event deleted meanwhile (its wake-up finds nothing): it is dropped. Were the event still
   * there, it would be published again, with the same webhook-id.
   */
  static final Duration ABANDONED = Duration.ofMinutes(10);

  /**
   * How long a first attempt waits at least for a free slot (a burst of events to one endpoint)
   * before the endpoint is handed to a delivery, which waits in the same line without holding the
   * event's status back (a hanging endpoint). It waits as long as the endpoint's timeout when that
   * is longer: a slot is surely free by then unless the endpoint holds every one of its requests.
   */
  static final Duration SLOT_WAIT = Duration.ofSeconds(5);

  static Duration slotWait(Route route) {
    Duration timeout = route.settings().timeout();
    return timeout.compareTo(SLOT_WAIT) > 0 ? timeout : SLOT_WAIT;
  }

  /** At shutdown, how long a publication whose attempts returned may take to be recorded. */
  static final Duration RECORDING_GRACE = Duration.ofSeconds(5);

  /** How long the check of {@link #endpointsFresh} waits for the API server's list at most. */
  static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);

  /** Events this process published, remembered so a stale cached copy is not published again. */
  private static final int REMEMBERED = 10_000;

  private final Clock clock;
  private final EventRecorder events;

  /** The operator's shard (--label-selector); null: all endpoints of the namespace. */
  private final String labelSelector;

  private final WebhookSender sender;
  private final SigningKeys secrets;
  private final EndpointCredentials credentials;
  private final EndpointTls tls;
  private final AttemptSlots slots;
  private final EndpointHealth health;
  private final HeraldMetrics metrics;
  private final AttemptTracer tracer;

  private final Map<String, Publication> inFlight = new ConcurrentHashMap<>();
  private final Set<String> published =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  private volatile boolean draining;

  /**
   * The events the cache held when this process began reconciling, until each is published: only
   * these may have been started by the process before it (which had stopped by then: leader
   * election, or the chart's Recreate strategy without it) and have deliveries from that try. An
   * event that arrived later was created after it stopped, and is spared the list that looks.
   */
  private volatile Set<String> heldAtTakeover;

  /** Wakes an event when the last of its first attempts returned, or a slot it waits for frees. */
  private final SimpleInboundEventSource<WebhookEvent> responses =
      new SimpleInboundEventSource<>("first-attempt-responses");

  /** One instance: equal waiters are one place in the slots' lines. */
  private final Consumer<ResourceID> wake = responses::propagateEvent;

  private InformerEventSource<WebhookEndpoint, WebhookEvent> endpoints;

  /** Whether {@link #endpoints} holds every endpoint an event was written after. */
  private EndpointCacheFreshness endpointsFresh;

  /**
   * Runs once the deliveries of failed first attempts exist and the event's status is not yet
   * written; a test halts the process here (a documented test-only flag), production never sets it.
   */
  private volatile Runnable crashPoint = () -> {};

  /** The test-only crash point of {@code --test-crash-before-event-status}. */
  public void crashBeforeStatusAfterDeliveries(Runnable crash) {
    this.crashPoint = crash;
  }

  /**
   * @param tracer the span of each first attempt and the trace context it sends
   */
  public WebhookEventReconciler(
      Clock clock,
      EventRecorder events,
      String labelSelector,
      WebhookSender sender,
      SigningKeys secrets,
      EndpointCredentials credentials,
      AttemptSlots slots,
      EndpointHealth health,
      HeraldMetrics metrics,
      EndpointTls tls,
      AttemptTracer tracer) {
    this.tracer = tracer;
    this.tls = tls;
    this.clock = clock;
    this.events = events;
    this.labelSelector = labelSelector;
    this.sender = sender;
    this.secrets = secrets;
    this.credentials = credentials;
    this.slots = slots;
    this.health = health;
    this.metrics = metrics;
  }

  /**
   * The subscriber list comes from a cache of the shard's endpoints, not a list per event; endpoint
   * changes wake no event (an event is published once, to the endpoints of that moment). What the
   * cache has taken in tells whether it holds every endpoint written before an event ({@link
   * EndpointCacheFreshness}).
   */
  @Override
  public List<EventSource<?, WebhookEvent>> prepareEventSources(
      EventSourceContext<WebhookEvent> context) {
    var config =
        InformerEventSourceConfiguration.from(WebhookEndpoint.class, WebhookEvent.class)
            .withName("event-endpoints")
            .withSecondaryToPrimaryMapper((WebhookEndpoint e) -> Set.of())
            .withLabelSelector(labelSelector)
            .build();
    endpoints =
        new InformerEventSource<>(config, context) {
          @Override
          public void onAdd(WebhookEndpoint endpoint) {
            super.onAdd(endpoint);
            endpointsFresh.observed(endpoint);
          }

          @Override
          public void onUpdate(WebhookEndpoint old, WebhookEndpoint endpoint) {
            super.onUpdate(old, endpoint);
            endpointsFresh.observed(endpoint);
          }

          @Override
          public void onDelete(WebhookEndpoint endpoint, boolean finalStateUnknown) {
            super.onDelete(endpoint, finalStateUnknown);
            endpointsFresh.observed(endpoint);
          }
        };
    KubernetesClient client = context.getClient();
    endpointsFresh =
        new EndpointCacheFreshness(
            namespace ->
                endpoints
                    .list(namespace)
                    .map(e -> e.getMetadata().getUid())
                    .collect(Collectors.toSet()),
            namespace ->
                MetadataLists.list(
                    client, WebhookEndpoint.class, namespace, labelSelector, LIST_TIMEOUT),
            clock);
    return List.of(endpoints, responses);
  }

  @Override
  public UpdateControl<WebhookEvent> reconcile(WebhookEvent event, Context<WebhookEvent> context) {
    String uid = event.getMetadata().getUid();
    Set<String> earlierTries = heldAtTakeover(context);
    if (event.getStatus() != null && event.getStatus().getFanOutTime() != null
        || published.contains(uid)) {
      earlierTries.remove(uid);
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = context.getClient();
    Publication publication = inFlight.get(uid);
    if (publication == null) {
      String duplicateOf = duplicateOf(event, context);
      if (duplicateOf != null) {
        writeStatus(
            client,
            event,
            List.of(),
            List.of(),
            new Targets.Audience(List.of(), List.of(), 0),
            duplicateOf);
        return UpdateControl.noUpdate();
      }
      if (!endpointsFresh.holdsEndpointsFor(event)) {
        // an endpoint written before the event is not in the cache yet
        return UpdateControl.<WebhookEvent>noUpdate()
            .rescheduleAfter(EndpointCacheFreshness.RECHECK);
      }
      publication = start(client, event, earlierTries.contains(uid));
    } else {
      retryWaiting(event, publication);
    }
    placeDeliveries(client, event, publication);
    if (publication.open()) {
      // the last response wakes the event, and so does a slot it waits for; the reschedule only
      // hands endpoints that waited too long to deliveries
      UpdateControl<WebhookEvent> control = UpdateControl.noUpdate();
      publication.waiting().keySet().stream()
          .map(WebhookEventReconciler::slotWait)
          .min(Comparator.naturalOrder())
          .ifPresent(control::rescheduleAfter);
      return control;
    }
    recordFirstAttempts(client, event, publication);
    if (publication.outcomes().stream().anyMatch(o -> o.getDelivery() != null)) {
      crashPoint.run();
    }
    writeStatus(
        client, event, publication.outcomes(), publication.conflicts(), publication.audience, null);
    inFlight.remove(uid);
    earlierTries.remove(uid);
    return UpdateControl.noUpdate();
  }

  private Set<String> heldAtTakeover(Context<WebhookEvent> context) {
    Set<String> held = heldAtTakeover;
    if (held == null) {
      synchronized (this) {
        if (heldAtTakeover == null) {
          Set<String> uids = ConcurrentHashMap.newKeySet();
          context.getPrimaryCache().list().forEach(e -> uids.add(e.getMetadata().getUid()));
          heldAtTakeover = uids;
        }
        held = heldAtTakeover;
      }
    }
    return held;
  }

  private List<WebhookEndpoint> endpointsOf(WebhookEvent event) {
    return endpoints.list(event.getMetadata().getNamespace()).toList();
  }

  static String eventId(WebhookEvent event) {
    return event.getSpec().getEventId() != null
        ? event.getSpec().getEventId()
        : event.getMetadata().getUid();
  }

  /**
   * A published event of the namespace with the same eventId, type and payload: this one repeats it
   * (a producer retrying its publication), so nothing is sent again. The same id with another type
   * or payload is another event: published, and reported as a conflict where names collide.
   */
  private static String duplicateOf(WebhookEvent event, Context<WebhookEvent> context) {
    if (event.getSpec().getEventId() == null) {
      return null;
    }
    return context
        .getPrimaryCache()
        .list(event.getMetadata().getNamespace())
        .filter(o -> !o.getMetadata().getUid().equals(event.getMetadata().getUid()))
        .filter(o -> o.getStatus() != null && o.getStatus().getFanOutTime() != null)
        .filter(
            o ->
                o.getSpec() != null
                    && event.getSpec().getEventId().equals(o.getSpec().getEventId()))
        .filter(o -> Objects.equals(o.getSpec().getEventType(), event.getSpec().getEventType()))
        .filter(o -> Objects.equals(o.getSpec().getPayload(), event.getSpec().getPayload()))
        .filter(o -> Objects.equals(o.getSpec().getEndpoints(), event.getSpec().getEndpoints()))
        .min(Comparator.comparing(o -> o.getMetadata().getCreationTimestamp()))
        .map(o -> o.getMetadata().getName())
        .orElse(null);
  }

  /**
   * Decides each endpoint's route and starts the first attempts; parks the publication.
   *
   * @param earlierTry a process before this one may have started it
   */
  private Publication start(KubernetesClient client, WebhookEvent event, boolean earlierTry) {
    inFlight.values().removeIf(p -> p.closedFor(ABANDONED.toNanos()));
    Targets.Audience audience = Targets.of(event.getSpec(), endpointsOf(event));
    Map<String, WebhookDelivery> existing =
        audience.subscribers().isEmpty() || !earlierTry
            ? Map.of()
            : existingDeliveries(client, event);
    List<Route> routes =
        audience.subscribers().stream()
            .map(e -> Routes.of(e, existing.containsKey(e.getMetadata().getName())))
            .toList();
    TraceContexts.Read trace =
        TraceContexts.read(event.getSpec().getTraceContext(), "spec.traceContext");
    if (trace.problem() != null) {
      // advisory: the event is published all the same, without it
      events.emit(event, EventReason.InvalidTraceContext, trace.problem());
    }
    Publication publication = new Publication(eventId(event), routes, audience, trace.headers());
    existing.forEach((endpoint, d) -> publication.done(existingOutcome(endpoint, d), null));
    inFlight.put(event.getMetadata().getUid(), publication);
    ResourceID id = ResourceID.fromResource(event);
    Instant now = clock.instant();
    for (Route route : routes) {
      if (route.way() == Way.FIRST_ATTEMPT) {
        firstAttempt(event, publication, route, id, now);
      }
    }
    return publication;
  }

  private void firstAttempt(
      WebhookEvent event, Publication publication, Route route, ResourceID id, Instant now) {
    String endpointUid = route.endpoint().getMetadata().getUid();
    if (draining) {
      publication.redirect(route.name(), "the operator is stopping");
      return;
    }
    if (!slots.tryAcquire(endpointUid, new AttemptSlots.Waiter(id, wake))) {
      // in the line the deliveries wait in: a hanging endpoint takes no more connections through
      // events than through deliveries
      publication.waitForSlot(route, now);
      return;
    }
    WebhookRequest request;
    try {
      request =
          tls.applyTo(
              AttemptRequests.of(
                  route.settings(),
                  publication.eventId,
                  event.getSpec().getEventType(),
                  event.getSpec().getPayload(),
                  secrets.keysFor(route.endpoint(), now),
                  credentials.of(route.endpoint()),
                  now),
              route.endpoint());
    } catch (EndpointSecretException e) { // signing keys, credentials and TLS material
      slots.release(endpointUid);
      // the delivery says why
      publication.redirect(route.name(), "signing key or credentials not readable");
      return;
    } catch (RuntimeException e) {
      slots.release(endpointUid);
      throw e;
    }
    publication.started(route.name(), now);
    AttemptTracer.Span span =
        tracer.start(
            AttemptInfo.ofEventFirstAttempt(event, route.name(), request), publication.trace);
    sender
        .sendBounded(request.withTrace(span.outgoing()))
        .whenComplete(
            (result, error) -> {
              slots.release(endpointUid);
              AttemptResult returned = error == null ? result : WebhookSender.lost(request);
              span.end(returned);
              if (publication.returned(route, returned, clock.instant())) {
                responses.propagateEvent(id);
              }
            });
  }

  /** This event's deliveries that exist already, by endpoint (an earlier try of it made them). */
  private static Map<String, WebhookDelivery> existingDeliveries(
      KubernetesClient client, WebhookEvent event) {
    Map<String, WebhookDelivery> byEndpoint = new HashMap<>();
    for (WebhookDelivery d :
        client
            .resources(WebhookDelivery.class)
            .inNamespace(event.getMetadata().getNamespace())
            .withLabel(Herald.LABEL_EVENT, LabelValues.orHash(event.getMetadata().getName()))
            // from the API server's watch cache, not a quorum read of every delivery of the
            // namespace from etcd for each event: a delivery the cache has not seen yet (written
            // just before a crash) is created again under its name and found then
            .list(new ListOptionsBuilder().withResourceVersion("0").build())
            .getItems()) {
      boolean ours =
          d.getMetadata().getOwnerReferences() != null
              && d.getMetadata().getOwnerReferences().stream()
                  .anyMatch(o -> event.getMetadata().getUid().equals(o.getUid()));
      if (ours && d.getSpec() != null && d.getSpec().getEndpointRef() != null) {
        byEndpoint.putIfAbsent(d.getSpec().getEndpointRef().getName(), d);
      }
    }
    return byEndpoint;
  }

  private static EndpointOutcome existingOutcome(String endpoint, WebhookDelivery d) {
    WebhookDeliveryStatus s = d.getStatus();
    return new EndpointOutcome(
        endpoint,
        s == null || s.getPhase() == null ? DeliveryPhase.Pending : s.getPhase(),
        s == null ? null : s.getLastStatusCode(),
        s == null || s.getAttempts() == null ? 0 : s.getAttempts(),
        d.getMetadata().getName(),
        s == null || s.getLastError() == null ? null : s.getLastError().getErrorClass());
  }

  /**
   * Starts the first attempts that wait for a slot where one is free now; an endpoint that waited
   * {@link #slotWait} (or any, when the operator stops) takes a delivery instead.
   */
  private void retryWaiting(WebhookEvent event, Publication publication) {
    Map<Route, Instant> waiting = publication.waiting();
    if (waiting.isEmpty()) {
      return;
    }
    ResourceID id = ResourceID.fromResource(event);
    slots.forget(new AttemptSlots.Waiter(id, wake)); // re-queued below where it still waits
    Instant now = clock.instant();
    waiting.forEach(
        (route, since) -> {
          if (!draining && now.isBefore(since.plus(slotWait(route)))) {
            firstAttempt(event, publication, route, id, now);
          } else {
            publication.redirect(
                route.name(), "no free slot within " + slotWait(route).toSeconds() + "s");
          }
        });
  }

  /** Creates the deliveries of the endpoints that take today's path (each once). */
  private void placeDeliveries(KubernetesClient client, WebhookEvent event, Publication p) {
    for (Route route : p.routes) {
      boolean delivery =
          route.way() == Way.DELIVERY
              || route.way() == Way.FIRST_ATTEMPT && p.redirected(route.name());
      if (!delivery || p.done(route.name())) {
        continue;
      }
      EventDeliveries.Placed placed =
          EventDeliveries.place(
              client,
              event,
              EventDeliveries.delivery(event, p.eventId, route.name(), null, Map.of()));
      p.done(
          new EndpointOutcome(
              route.name(),
              DeliveryPhase.Pending,
              null,
              0,
              placed.delivery().getMetadata().getName(),
              null),
          placed.conflict());
    }
  }

  /**
   * The first attempts' results: each counted once in metrics and the endpoint's health; a failed
   * one becomes a delivery with the attempt in its status, before the event's status is written.
   */
  private void recordFirstAttempts(KubernetesClient client, WebhookEvent event, Publication p) {
    for (Publication.Returned r : p.results()) {
      String endpoint = r.route().name();
      if (p.done(endpoint)) {
        continue;
      }
      AttemptResult result = r.result();
      WebhookDeliveryStatus status =
          result.succeeded()
              ? null
              : FirstAttempts.status(
                  p.eventId, // the delivery's spec.deliveryId: its webhook-id
                  r.route().endpoint(),
                  r.route().settings(),
                  result,
                  r.started(),
                  r.finished(),
                  1L);
      if (result.succeeded()) {
        if (p.firstReport(endpoint)) {
          report(event, p, r, null, null);
        }
        p.done(
            new EndpointOutcome(
                endpoint, DeliveryPhase.Succeeded, result.statusCode(), 1, null, null),
            null);
        continue;
      }
      Map<String, String> phaseLabel =
          status.getPhase().isFinished()
              ? Map.of() // written after the status: a finished label hides the delivery
              : Map.of(Herald.LABEL_PHASE, status.getPhase().name());
      EventDeliveries.Placed placed =
          EventDeliveries.place(
              client,
              event,
              EventDeliveries.delivery(
                  event, p.eventId, endpoint, event.getMetadata().getName(), phaseLabel));
      WebhookDelivery d = placed.delivery();
      if (d.getStatus() == null) {
        status.setObservedGeneration(d.getMetadata().getGeneration());
        WebhookDelivery written = Patches.replaceStatus(client, WebhookDelivery.class, d, status);
        if (status.getPhase().isFinished()) {
          Patches.mergeLabels(
              client, WebhookDelivery.class, written, FirstAttempts.labels(written, status));
        }
      }
      if (p.firstReport(endpoint)) {
        report(event, p, r, status, d.getMetadata().getName());
      }
      p.done(
          new EndpointOutcome(
              endpoint,
              status.getPhase(),
              result.statusCode(),
              1,
              d.getMetadata().getName(),
              result.errorClass()),
          placed.conflict());
    }
  }

  /**
   * The one place a first attempt's outcome is counted: the attempt metrics a delivery's attempts
   * count in, the endpoint's health, and the log line.
   *
   * @param status the status of the delivery that carries on, null when delivered
   * @param delivery the delivery's name where one exists
   */
  private void report(
      WebhookEvent event,
      Publication p,
      Publication.Returned r,
      WebhookDeliveryStatus status,
      String delivery) {
    AttemptResult result = r.result();
    String namespace = event.getMetadata().getNamespace();
    String endpoint = r.route().name();
    metrics.attempt(
        namespace, endpoint, result.errorClass(), Duration.ofMillis(result.durationMs()));
    boolean exhausted = status != null && status.getPhase() == DeliveryPhase.Exhausted;
    if (exhausted) {
      metrics.exhausted(namespace, endpoint);
    }
    try {
      health.record(
          r.route().endpoint(),
          FirstAttempts.error(result),
          exhausted,
          r.finished(),
          EndpointHealth.recentAttempt(
              p.eventId, event.getMetadata().getName(), delivery, 1, r.started(), result));
    } catch (RuntimeException e) {
      // endpoint health is advisory: failing here would send the attempt again
      LOG.warn("endpoint {}: health not recorded: {}", endpoint, e.getMessage());
    }
    LOG.atInfo()
        .addKeyValue("namespace", namespace)
        .addKeyValue("event", event.getMetadata().getName())
        .addKeyValue("endpoint", endpoint)
        .addKeyValue("webhookId", p.eventId)
        .addKeyValue("delivery", delivery)
        .addKeyValue("attempt", 1)
        .addKeyValue("statusCode", result.statusCode())
        .addKeyValue("errorClass", result.errorClass())
        .addKeyValue("durationMs", result.durationMs())
        .log(
            "event {}/{} first attempt to {}: {}",
            namespace,
            event.getMetadata().getName(),
            endpoint,
            result.succeeded()
                ? "HTTP " + result.statusCode()
                : result.errorClass() + " (" + result.message() + ")");
  }

  private void writeStatus(
      KubernetesClient client,
      WebhookEvent event,
      List<EndpointOutcome> outcomes,
      List<String> conflicts,
      Targets.Audience audience,
      String duplicateOf) {
    WebhookEventStatus status =
        EventStatuses.compose(
            outcomes,
            new EventStatuses.Notes(
                conflicts,
                audience.unreached(),
                audience.unreachedCount(),
                duplicateOf,
                event.getSpec().getEventType(),
                event.getMetadata().getNamespace()),
            event.getMetadata().getGeneration(),
            clock.instant());
    Patches.replaceStatus(client, WebhookEvent.class, event, status);
    published.add(event.getMetadata().getUid());
    if (!conflicts.isEmpty()) {
      events.emit(event, EventReason.Conflict, EventStatuses.conflictText(conflicts));
    }
  }

  /**
   * Starts no new first attempt (endpoints take deliveries instead) and waits until every event in
   * flight is recorded (or its attempts returned {@link #RECORDING_GRACE} ago and it is not: its
   * event is gone, or it is published again after the restart); false when {@code timeout} ran out
   * first.
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    draining = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    // one whose attempts returned a while ago and is still here belongs to a deleted event
    while (!inFlight.values().stream().allMatch(p -> p.closedFor(RECORDING_GRACE.toNanos()))) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    return true;
  }
}
