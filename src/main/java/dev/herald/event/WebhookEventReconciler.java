package dev.herald.event;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.EndpointRef;
import dev.herald.api.v1alpha1.EventReason;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.api.v1alpha1.WebhookEventStatus;
import dev.herald.endpoint.EventTypes;
import dev.herald.kube.Conditions;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.LabelValues;
import dev.herald.kube.Patches;
import dev.herald.kube.Times;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an event once: one WebhookDelivery per endpoint of the namespace whose {@code
 * spec.eventTypes} match, owned by the event and labelled {@code herald.dev/event}. Delivery names
 * derive from the event id, so a retried reconcile or a second event with the same {@code eventId}
 * creates nothing new. Endpoints created later do not receive past events. A name taken by a
 * delivery that is not this event's is reported ({@code Conflict}), never a reason to skip the
 * endpoint.
 */
@ControllerConfiguration(name = "webhookevent")
public class WebhookEventReconciler implements Reconciler<WebhookEvent> {
  private static final int MAX_CONFLICTS_NAMED = 3;
  private static final Logger LOG = LoggerFactory.getLogger(WebhookEventReconciler.class);

  private final Clock clock;
  private final EventRecorder events;

  /** The operator's shard (--label-selector); null: all endpoints of the namespace. */
  private final String labelSelector;

  public WebhookEventReconciler(Clock clock, EventRecorder events, String labelSelector) {
    this.clock = clock;
    this.events = events;
    this.labelSelector = labelSelector;
  }

  @Override
  public UpdateControl<WebhookEvent> reconcile(WebhookEvent event, Context<WebhookEvent> context) {
    if (event.getStatus() != null && event.getStatus().getFanOutTime() != null) {
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = context.getClient();
    String namespace = event.getMetadata().getNamespace();
    String eventId =
        event.getSpec().getEventId() != null
            ? event.getSpec().getEventId()
            : event.getMetadata().getUid();
    List<String> subscribers =
        client
            .resources(WebhookEndpoint.class)
            .inNamespace(namespace)
            .withLabelSelector(labelSelector)
            .list()
            .getItems()
            .stream()
            .filter(e -> e.getMetadata().getDeletionTimestamp() == null)
            .filter(
                e ->
                    e.getSpec() != null
                        && EventTypes.matches(
                            e.getSpec().getEventTypes(), event.getSpec().getEventType()))
            .map(e -> e.getMetadata().getName())
            .sorted()
            .toList();
    int created = 0;
    List<String> conflicts = new ArrayList<>();
    for (String endpoint : subscribers) {
      Placed placed = place(client, event, delivery(event, eventId, endpoint));
      if (placed.created()) {
        created++;
      }
      if (placed.conflict() != null) {
        conflicts.add(placed.conflict());
      }
    }

    Instant now = clock.instant();
    WebhookEventStatus status = new WebhookEventStatus();
    status.setDeliveries(subscribers.size());
    status.setEndpoints(subscribers);
    status.setFanOutTime(Times.format(now));
    status.setObservedGeneration(event.getMetadata().getGeneration());
    String message =
        subscribers.isEmpty()
            ? "no endpoint in " + namespace + " subscribes to " + event.getSpec().getEventType()
            : created == subscribers.size()
                ? "created " + created + " deliveries"
                : "created "
                    + created
                    + " deliveries; "
                    + (subscribers.size() - created)
                    + " existed already (same eventId)";
    if (conflicts.isEmpty()) {
      status.setConditions(
          Conditions.set(
              null,
              Conditions.READY,
              true,
              subscribers.isEmpty() ? EventReason.NoSubscribers : EventReason.Published,
              message,
              event.getMetadata().getGeneration(),
              now));
    } else {
      // bounded: a namespace may have thousands of endpoints, all taken by one hostile object each
      String conflict =
          String.join("; ", conflicts.subList(0, Math.min(conflicts.size(), MAX_CONFLICTS_NAMED)))
              + (conflicts.size() > MAX_CONFLICTS_NAMED
                  ? "; and " + (conflicts.size() - MAX_CONFLICTS_NAMED) + " more"
                  : "");
      status.setConditions(
          Conditions.set(
              null,
              Conditions.READY,
              false,
              EventReason.Conflict,
              message + "; " + conflict,
              event.getMetadata().getGeneration(),
              now));
      events.emit(event, EventReason.Conflict, conflict);
    }
    Patches.replaceStatus(client, WebhookEvent.class, event, status);
    return UpdateControl.noUpdate();
  }

  private static WebhookDelivery delivery(WebhookEvent event, String eventId, String endpoint) {
    WebhookDelivery delivery = new WebhookDelivery();
    delivery.setMetadata(
        new ObjectMetaBuilder()
            .withName(FanOut.deliveryName(event.getMetadata().getNamespace(), eventId, endpoint))
            .withNamespace(event.getMetadata().getNamespace())
            .withLabels(
                FanOut.labels(
                    event.getMetadata().getLabels(),
                    Map.of(
                        Herald.LABEL_EVENT, LabelValues.orHash(event.getMetadata().getName()),
                        Herald.LABEL_ENDPOINT, LabelValues.orHash(endpoint))))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(event.getApiVersion())
                    .withKind(event.getKind())
                    .withName(event.getMetadata().getName())
                    .withUid(event.getMetadata().getUid())
                    .withBlockOwnerDeletion(false)
                    .build())
            .build());
    WebhookDeliverySpec spec = new WebhookDeliverySpec();
    spec.setEndpointRef(new EndpointRef(endpoint));
    spec.setEventType(event.getSpec().getEventType());
    spec.setPayload(event.getSpec().getPayload());
    spec.setDeliveryId(eventId);
    delivery.setSpec(spec);
    return delivery;
  }

  /**
   * @param created a delivery was created for this endpoint now
   * @param conflict null, or what was found under the computed name and where the event went
   *     instead
   */
  private record Placed(boolean created, String conflict) {}

  /**
   * Creates the delivery under its computed name; if that name is taken, the existing delivery
   * counts only if it is this event's (an earlier publication of the same event id). Anything else
   * under that name is left alone, reported, and the endpoint still receives the event under a name
   * the API server generates, so a precomputed name cannot make Herald skip it.
   */
  private static Placed place(KubernetesClient client, WebhookEvent event, WebhookDelivery wanted) {
    String name = wanted.getMetadata().getName();
    String endpoint = wanted.getSpec().getEndpointRef().getName();
    String foreign = null;
    for (int i = 0;
        i < 2 && foreign == null;
        i++) { // a second try when the name was freed in between
      if (create(client, wanted)) {
        return new Placed(true, null);
      }
      WebhookDelivery existing =
          client
              .resources(WebhookDelivery.class)
              .inNamespace(wanted.getMetadata().getNamespace())
              .withName(name)
              .get();
      if (existing != null) {
        foreign = FanOut.foreignBecause(existing, wanted, null);
        if (foreign == null) {
          return new Placed(false, null);
        }
      }
    }
    if (foreign == null) {
      throw new IllegalStateException(
          "delivery " + name + " is created and deleted again while the event fans out");
    }
    WebhookDelivery placed = ownFallback(client, event, wanted);
    boolean created = placed == null;
    if (created) {
      WebhookDelivery fallback = client.getKubernetesSerialization().clone(wanted);
      fallback.getMetadata().setName(null);
      fallback.getMetadata().setGenerateName(FanOut.generateName(endpoint));
      placed = client.resource(fallback).create();
    }
    LOG.warn(
        "event {}/{}: delivery {} for endpoint {} exists but {}; delivered as {} instead",
        event.getMetadata().getNamespace(),
        event.getMetadata().getName(),
        name,
        endpoint,
        foreign,
        placed.getMetadata().getName());
    return new Placed(
        created,
        "delivery "
            + name
            + " for endpoint "
            + endpoint
            + " exists but "
            + foreign
            + " (left alone); delivered as "
            + placed.getMetadata().getName());
  }

  /**
   * The generated-name delivery an earlier try of this reconcile made, so a retry does not make
   * another.
   */
  private static WebhookDelivery ownFallback(
      KubernetesClient client, WebhookEvent event, WebhookDelivery wanted) {
    return client
        .resources(WebhookDelivery.class)
        .inNamespace(wanted.getMetadata().getNamespace())
        .withLabels(
            Map.of(
                Herald.LABEL_EVENT, wanted.getMetadata().getLabels().get(Herald.LABEL_EVENT),
                Herald.LABEL_ENDPOINT, wanted.getMetadata().getLabels().get(Herald.LABEL_ENDPOINT)))
        .list()
        .getItems()
        .stream()
        .filter(d -> !d.getMetadata().getName().equals(wanted.getMetadata().getName()))
        .filter(d -> FanOut.foreignBecause(d, wanted, event.getMetadata().getUid()) == null)
        .findFirst()
        .orElse(null);
  }

  /** False when the name is taken. */
  private static boolean create(KubernetesClient client, WebhookDelivery delivery) {
    try {
      client.resource(delivery).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }
}
