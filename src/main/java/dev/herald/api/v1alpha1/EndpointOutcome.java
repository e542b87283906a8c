package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where an event went for one endpoint when it was published. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointOutcome {
  @JsonPropertyDescription("The WebhookEndpoint.")
  private String endpoint;

  @JsonPropertyDescription(
      "Succeeded: the event's first attempt was delivered (no WebhookDelivery exists unless the"
          + " endpoint records successes). Failed: the first attempt failed and the named delivery"
          + " retries. Exhausted: the first attempt failed for good. Pending: handed to the named"
          + " delivery without a first attempt by the event (paused, fifo, recordSuccesses, not"
          + " Ready, or no free slot).")
  private DeliveryPhase phase;

  @JsonPropertyDescription("HTTP status of the event's attempt, absent when none came back.")
  private Integer statusCode;

  @JsonPropertyDescription("Attempts the event made: 1, or 0 when a delivery sends instead.")
  private Integer attempts;

  @JsonPropertyDescription(
      "The WebhookDelivery that carries on for this endpoint, if there is one.")
  private String delivery;

  @JsonPropertyDescription("The error class of the event's failed attempt.")
  private ErrorClass errorClass;

  public EndpointOutcome() {}

  public EndpointOutcome(
      String endpoint,
      DeliveryPhase phase,
      Integer statusCode,
      Integer attempts,
      String delivery,
      ErrorClass errorClass) {
    this.endpoint = endpoint;
    this.phase = phase;
    this.statusCode = statusCode;
    this.attempts = attempts;
    this.delivery = delivery;
    this.errorClass = errorClass;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public DeliveryPhase getPhase() {
    return phase;
  }

  public void setPhase(DeliveryPhase phase) {
    this.phase = phase;
  }

  public Integer getStatusCode() {
    return statusCode;
  }

  public void setStatusCode(Integer statusCode) {
    this.statusCode = statusCode;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public String getDelivery() {
    return delivery;
  }

  public void setDelivery(String delivery) {
    this.delivery = delivery;
  }

  public ErrorClass getErrorClass() {
    return errorClass;
  }

  public void setErrorClass(ErrorClass errorClass) {
    this.errorClass = errorClass;
  }
}
