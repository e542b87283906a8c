package dev.herald.delivery;

import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import dev.herald.kube.Conditions;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Wakes an endpoint's deliveries only for changes they act on: spec edits (URL, pause, retry), an
 * automatic pause or its resumption, deletion, a new signing key, or the endpoint becoming ready.
 * Health counters change on every attempt; waking every delivery of the endpoint for those would
 * cost O(deliveries) per attempt.
 */
class EndpointChangeMattersToDeliveries implements OnUpdateFilter<WebhookEndpoint> {
  @Override
  public boolean accept(WebhookEndpoint newer, WebhookEndpoint older) {
    WebhookEndpointStatus n =
        newer.getStatus() == null ? new WebhookEndpointStatus() : newer.getStatus();
    WebhookEndpointStatus o =
        older.getStatus() == null ? new WebhookEndpointStatus() : older.getStatus();
    return !Objects.equals(newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
        || !Objects.equals(
            newer.getMetadata().getDeletionTimestamp(), older.getMetadata().getDeletionTimestamp())
        || !Objects.equals(n.getSigningSecretName(), o.getSigningSecretName())
        || (n.getAutoPaused() == null) != (o.getAutoPaused() == null)
        || !Objects.equals(
            Conditions.reasonOf(n.getConditions(), Conditions.READY),
            Conditions.reasonOf(o.getConditions(), Conditions.READY));
  }
}
