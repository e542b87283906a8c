package dev.herald.tracing;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.http.WebhookRequest;

/**
 * What an attempt span says about the attempt besides its outcome. Built by {@link #ofDelivery} and
 * {@link #ofEventFirstAttempt}, the two kinds of attempt there are, so both say the same of the
 * request they send.
 *
 * @param namespace the namespace of the delivery or event
 * @param endpoint the WebhookEndpoint's name
 * @param delivery the WebhookDelivery's name; null for an event's first attempt
 * @param event the WebhookEvent's name (the event that fanned the delivery out); null if none
 * @param attempt the attempt's number, from 1
 * @param webhookId the {@code webhook-id} sent
 * @param eventType the {@code webhook-event-type} sent
 * @param url the endpoint's URL; the span carries it without query or fragment
 */
public record AttemptInfo(
    String namespace,
    String endpoint,
    String delivery,
    String event,
    int attempt,
    String webhookId,
    String eventType,
    String url) {

  /**
   * Attempt {@code attempt} of a WebhookDelivery, as {@code request} sends it.
   *
   * @param endpoint the endpoint it is for
   * @param event the event that fanned it out; null if none
   */
  public static AttemptInfo ofDelivery(
      WebhookDelivery delivery,
      String endpoint,
      String event,
      int attempt,
      WebhookRequest request) {
    return of(
        delivery.getMetadata().getNamespace(),
        endpoint,
        delivery.getMetadata().getName(),
        event,
        attempt,
        request);
  }

  /**
   * The first attempt an event makes itself to {@code endpoint}: attempt 1, and no delivery yet
   * (one is created only if it fails).
   */
  public static AttemptInfo ofEventFirstAttempt(
      WebhookEvent event, String endpoint, WebhookRequest request) {
    return of(
        event.getMetadata().getNamespace(),
        endpoint,
        null,
        event.getMetadata().getName(),
        1,
        request);
  }

  private static AttemptInfo of(
      String namespace,
      String endpoint,
      String delivery,
      String event,
      int attempt,
      WebhookRequest request) {
    return new AttemptInfo(
        namespace,
        endpoint,
        delivery,
        event,
        attempt,
        request.webhookId(),
        request.eventType(),
        request.url());
  }
}
