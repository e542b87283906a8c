package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * One line of an endpoint's recent-attempts list: what a receiver's operator needs to match an
 * attempt against their own logs, and nothing that grows (no URL, message or response excerpt; the
 * delivery, where one exists, has those).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecentAttempt {
  @JsonPropertyDescription("When the attempt started (RFC 3339).")
  private String time;

  @JsonPropertyDescription("The webhook-id header sent (the event id or the delivery's id).")
  private String webhookId;

  @JsonPropertyDescription("The WebhookEvent the attempt came from, if any.")
  private String event;

  @JsonPropertyDescription(
      "The WebhookDelivery that made or now carries the attempt; absent for a first attempt sent"
          + " from an event that succeeded (no delivery exists for it).")
  private String delivery;

  @JsonPropertyDescription("The attempt's number for this webhook-id (1 for the first).")
  private Integer attempt;

  @JsonPropertyDescription(
      "HTTP status; absent when no response came (connection, DNS, TLS, timeout).")
  private Integer statusCode;

  private Long durationMs;

  @JsonPropertyDescription("Absent when the receiver answered 2xx.")
  private ErrorClass errorClass;

  public RecentAttempt() {}

  public RecentAttempt(
      String time,
      String webhookId,
      String event,
      String delivery,
      Integer attempt,
      Integer statusCode,
      Long durationMs,
      ErrorClass errorClass) {
    this.time = time;
    this.webhookId = webhookId;
    this.event = event;
    this.delivery = delivery;
    this.attempt = attempt;
    this.statusCode = statusCode;
    this.durationMs = durationMs;
    this.errorClass = errorClass;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getWebhookId() {
    return webhookId;
  }

  public void setWebhookId(String webhookId) {
    this.webhookId = webhookId;
  }

  public String getEvent() {
    return event;
  }

  public void setEvent(String event) {
    this.event = event;
  }

  public String getDelivery() {
    return delivery;
  }

  public void setDelivery(String delivery) {
    this.delivery = delivery;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public Integer getStatusCode() {
    return statusCode;
  }

  public void setStatusCode(Integer statusCode) {
    this.statusCode = statusCode;
  }

  public Long getDurationMs() {
    return durationMs;
  }

  public void setDurationMs(Long durationMs) {
    this.durationMs = durationMs;
  }

  public ErrorClass getErrorClass() {
    return errorClass;
  }

  public void setErrorClass(ErrorClass errorClass) {
    this.errorClass = errorClass;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecentAttempt r
        && Objects.equals(time, r.time)
        && Objects.equals(webhookId, r.webhookId)
        && Objects.equals(event, r.event)
        && Objects.equals(delivery, r.delivery)
        && Objects.equals(attempt, r.attempt)
        && Objects.equals(statusCode, r.statusCode)
        && Objects.equals(durationMs, r.durationMs)
        && errorClass == r.errorClass;
  }

  @Override
  public int hashCode() {
    return Objects.hash(time, webhookId, event, delivery, attempt, statusCode, durationMs);
  }
}
