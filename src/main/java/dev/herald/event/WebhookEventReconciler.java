package dev.herald.event;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.EndpointRef;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.api.v1alpha1.WebhookEventStatus;
import dev.herald.endpoint.EventTypes;
import dev.herald.kube.Conditions;
import dev.herald.kube.LabelValues;
import dev.herald.kube.StatusPatch;
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
import java.util.List;
import java.util.Map;

/**
 * Publishes an event once: one WebhookDelivery per endpoint of the namespace whose
 * {@code spec.eventTypes} match, owned by the event and labelled {@code herald.dev/event}.
 * Delivery names derive from the event id, so a retried reconcile or a second event with the
 * same {@code eventId} creates nothing new. Endpoints created later do not receive past events.
 */
@ControllerConfiguration(name = "webhookevent")
public class WebhookEventReconciler implements Reconciler<WebhookEvent> {
  private final Clock clock;
  /** The operator's shard (--label-selector); null: all endpoints of the namespace. */
  private final String labelSelector;

  public WebhookEventReconciler(Clock clock, String labelSelector) {
    this.clock = clock;
    this.labelSelector = labelSelector;
  }

  @Override
  public UpdateControl<WebhookEvent> reconcile(WebhookEvent event, Context<WebhookEvent> context) {
    if (event.getStatus() != null && event.getStatus().getFanOutTime() != null) {
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = context.getClient();
    String namespace = event.getMetadata().getNamespace();
    String eventId = event.getSpec().getEventId() != null ? event.getSpec().getEventId() : event.getMetadata().getUid();
    List<String> subscribers = client.resources(WebhookEndpoint.class).inNamespace(namespace).withLabelSelector(labelSelector).list()
        .getItems().stream()
        .filter(e -> e.getMetadata().getDeletionTimestamp() == null)
        .filter(e -> e.getSpec() != null && EventTypes.matches(e.getSpec().getEventTypes(), event.getSpec().getEventType()))
        .map(e -> e.getMetadata().getName())
        .sorted()
        .toList();
    int created = 0;
    for (String endpoint : subscribers) {
      if (create(client, delivery(event, eventId, endpoint))) {
        created++;
      }
    }

    Instant now = clock.instant();
    WebhookEventStatus status = new WebhookEventStatus();
    status.setDeliveries(subscribers.size());
    status.setEndpoints(subscribers);
    status.setFanOutTime(Times.format(now));
    status.setObservedGeneration(event.getMetadata().getGeneration());
    String message = subscribers.isEmpty()
        ? "no endpoint in " + namespace + " subscribes to " + event.getSpec().getEventType()
        : created == subscribers.size()
            ? "created " + created + " deliveries"
            : "created " + created + " deliveries; " + (subscribers.size() - created) + " existed already (same eventId)";
    status.setConditions(Conditions.set(null, Conditions.READY, true,
        subscribers.isEmpty() ? "NoSubscribers" : "Published", message, event.getMetadata().getGeneration(), now));
    StatusPatch.replaceStatus(client, WebhookEvent.class, event, status);
    return UpdateControl.noUpdate();
  }

  private static WebhookDelivery delivery(WebhookEvent event, String eventId, String endpoint) {
    WebhookDelivery delivery = new WebhookDelivery();
    delivery.setMetadata(new ObjectMetaBuilder()
        .withName(FanOut.deliveryName(event.getMetadata().getNamespace(), eventId, endpoint))
        .withNamespace(event.getMetadata().getNamespace())
        .withLabels(FanOut.labels(event.getMetadata().getLabels(), Map.of(
            Herald.LABEL_EVENT, LabelValues.orHash(event.getMetadata().getName()),
            Herald.LABEL_ENDPOINT, LabelValues.orHash(endpoint))))
        .withOwnerReferences(new OwnerReferenceBuilder()
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

  /** False when it exists already: an earlier publication of the same event id made it. */
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
