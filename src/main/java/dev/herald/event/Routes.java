package dev.herald.event;

import dev.herald.api.v1alpha1.HistorySpec;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.endpoint.EndpointSettings;
import dev.herald.endpoint.FailurePolicy;
import dev.herald.endpoint.InvalidEndpointException;
import dev.herald.kube.Conditions;

/**
 * Which way an event goes to one endpoint: its first attempt straight from the event, or a
 * WebhookDelivery that the delivery reconciler sends (today's path, kept wherever a delivery's
 * rules matter before the first attempt or the endpoint asks for a record of every delivery).
 */
final class Routes {
  private Routes() {}

  enum Way {
    /** The event sends attempt 1; a delivery is created only if it fails. */
    FIRST_ATTEMPT,
    /** A delivery is created now and sends attempt 1. */
    DELIVERY,
    /**
     * This event's delivery to the endpoint exists already (an earlier try of this publication
     * created it before a crash or a failed write): not sent again by the event.
     */
    EXISTING
  }

  /**
   * @param settings the endpoint's validated settings, for {@link Way#FIRST_ATTEMPT}; else null
   * @param why for {@link Way#DELIVERY}: why the first attempt is not the event's
   */
  record Route(WebhookEndpoint endpoint, Way way, EndpointSettings settings, String why) {
    String name() {
      return endpoint.getMetadata().getName();
    }
  }

  /**
   * @param hasDelivery this event's delivery to the endpoint exists
   */
  static Route of(WebhookEndpoint endpoint, boolean hasDelivery) {
    if (hasDelivery) {
      return new Route(endpoint, Way.EXISTING, null, "its delivery exists");
    }
    if (FailurePolicy.isPaused(endpoint)) {
      return delivery(endpoint, "paused");
    }
    if (endpoint.getSpec().isFifo()) {
      return delivery(endpoint, "ordering: fifo");
    }
    if (endpoint.getSpec().getRateLimit() != null) {
      // paced in one place, the delivery reconciler's line, oldest due first
      return delivery(endpoint, "rateLimit");
    }
    if (HistorySpec.recordsSuccesses(endpoint.getSpec().getHistory())) {
      return delivery(endpoint, "history.recordSuccesses");
    }
    boolean ready =
        endpoint.getStatus() != null
            && Conditions.find(endpoint.getStatus().getConditions(), Conditions.READY)
                .map(c -> "True".equals(c.getStatus()))
                .orElse(false);
    if (!ready) {
      return delivery(endpoint, "not Ready");
    }
    try {
      return new Route(endpoint, Way.FIRST_ATTEMPT, EndpointSettings.of(endpoint.getSpec()), null);
    } catch (InvalidEndpointException e) {
      return delivery(endpoint, "invalid"); // the delivery holds with the reason
    }
  }

  static Route delivery(WebhookEndpoint endpoint, String why) {
    return new Route(endpoint, Way.DELIVERY, null, why);
  }
}
