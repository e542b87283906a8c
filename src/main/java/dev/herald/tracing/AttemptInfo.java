package dev.herald.tracing;

/**
 * What an attempt span says about the attempt besides its outcome.
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
    String url) {}
