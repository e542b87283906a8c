package dev.herald.event;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.EndpointRef;
import dev.herald.api.v1alpha1.TraceContext;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.kube.LabelValues;
import dev.herald.tracing.TraceContexts;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliveries an event creates: what each looks like, and placing it under the name {@link
 * FanOut} computes without ever taking over, or being stopped by, a foreign object under that name.
 */
final class EventDeliveries {
  private static final Logger LOG = LoggerFactory.getLogger(EventDeliveries.class);

  private EventDeliveries() {}

  /**
   * @param firstAttemptOf the event's name when the delivery is created with its first attempt
   *     recorded (see {@link FirstAttempts}); null when the delivery sends it
   */
  static WebhookDelivery delivery(
      WebhookEvent event,
      String eventId,
      String endpoint,
      String firstAttemptOf,
      Map<String, String> extraLabels) {
    Map<String, String> heralds = new LinkedHashMap<>(extraLabels);
    heralds.put(Herald.LABEL_EVENT, LabelValues.orHash(event.getMetadata().getName()));
    heralds.put(Herald.LABEL_ENDPOINT, LabelValues.orHash(endpoint));
    WebhookDelivery delivery = new WebhookDelivery();
    ObjectMetaBuilder meta =
        new ObjectMetaBuilder()
            .withName(FanOut.deliveryName(event.getMetadata().getNamespace(), eventId, endpoint))
            .withNamespace(event.getMetadata().getNamespace())
            .withLabels(FanOut.labels(event.getMetadata().getLabels(), heralds))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(event.getApiVersion())
                    .withKind(event.getKind())
                    .withName(event.getMetadata().getName())
                    .withUid(event.getMetadata().getUid())
                    .withBlockOwnerDeletion(false)
                    .build());
    if (firstAttemptOf != null) {
      meta.withAnnotations(Map.of(Herald.ANNOTATION_FIRST_ATTEMPT, firstAttemptOf));
    }
    delivery.setMetadata(meta.build());
    WebhookDeliverySpec spec = new WebhookDeliverySpec();
    spec.setEndpointRef(new EndpointRef(endpoint));
    spec.setEventType(event.getSpec().getEventType());
    spec.setPayload(event.getSpec().getPayload());
    spec.setDeliveryId(eventId);
    // checked, never raw: the event reported a bad one, and the delivery's schema would refuse it
    var trace =
        TraceContexts.read(event.getSpec().getTraceContext(), "spec.traceContext").headers();
    if (trace != null) {
      spec.setTraceContext(new TraceContext(trace.traceparent(), trace.tracestate()));
    }
    delivery.setSpec(spec);
    return delivery;
  }

  /**
   * @param created a delivery was created for this endpoint now
   * @param delivery the delivery that carries on for the endpoint (created now or earlier)
   * @param conflict null, or what was found under the computed name and where the event went
   *     instead
   */
  record Placed(boolean created, WebhookDelivery delivery, String conflict) {}

  /**
   * Creates the delivery under its computed name; if that name is taken, the existing delivery
   * counts only if it is this event's (an earlier publication of the same event id). Anything else
   * under that name is left alone, reported, and the endpoint still receives the event under a name
   * the API server generates, so a precomputed name cannot make Herald skip it.
   */
  static Placed place(KubernetesClient client, WebhookEvent event, WebhookDelivery wanted) {
    String name = wanted.getMetadata().getName();
    String endpoint = wanted.getSpec().getEndpointRef().getName();
    String foreign = null;
    for (int i = 0;
        i < 2 && foreign == null;
        i++) { // a second try when the name was freed in between
      WebhookDelivery created = create(client, wanted);
      if (created != null) {
        return new Placed(true, created, null);
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
          return new Placed(false, existing, null);
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
        placed,
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

  /** The delivery created, or null when the name is taken. */
  private static WebhookDelivery create(KubernetesClient client, WebhookDelivery delivery) {
    try {
      return client.resource(delivery).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return null;
      }
      throw e;
    }
  }
}
