package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookEventStatus {
  /** At most this many per-endpoint outcomes are listed; the counts cover all of them. */
  public static final int MAX_OUTCOMES = 20;

  @JsonPropertyDescription(
      "How many endpoints this event was published to (by its first attempts or through a"
          + " WebhookDelivery).")
  private Integer deliveries;

  @JsonPropertyDescription(
      "The endpoints the event was published to, by name, at most 20 (deliveries counts them all).")
  private List<String> endpoints;

  @JsonPropertyDescription(
      "When the event was published (RFC 3339): its first attempts recorded and its deliveries"
          + " created; an event fans out once.")
  private String fanOutTime;

  @JsonPropertyDescription("Endpoints whose first attempt, made by the event, was delivered.")
  private Integer succeeded;

  @JsonPropertyDescription(
      "Endpoints whose first attempt failed; each has a WebhookDelivery that retries (or is"
          + " Exhausted).")
  private Integer failed;

  @JsonPropertyDescription(
      "Endpoints handed to a WebhookDelivery without a first attempt by the event (paused, fifo,"
          + " recordSuccesses, not Ready, or no free slot).")
  private Integer pending;

  @JsonPropertyDescription(
      "Per endpoint: where the event went (at most 20 entries: failed first, then pending, then"
          + " succeeded, each by name; outcomesOmitted says how many are left out).")
  private List<EndpointOutcome> outcomes;

  @JsonPropertyDescription("How many outcomes the list leaves out (the counts include them).")
  private Integer outcomesOmitted;

  private Long observedGeneration;
  private List<Condition> conditions;

  public Integer getDeliveries() {
    return deliveries;
  }

  public void setDeliveries(Integer deliveries) {
    this.deliveries = deliveries;
  }

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }

  public String getFanOutTime() {
    return fanOutTime;
  }

  public void setFanOutTime(String fanOutTime) {
    this.fanOutTime = fanOutTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getSucceeded() {
    return succeeded;
  }

  public void setSucceeded(Integer succeeded) {
    this.succeeded = succeeded;
  }

  public Integer getFailed() {
    return failed;
  }

  public void setFailed(Integer failed) {
    this.failed = failed;
  }

  public Integer getPending() {
    return pending;
  }

  public void setPending(Integer pending) {
    this.pending = pending;
  }

  public List<EndpointOutcome> getOutcomes() {
    return outcomes;
  }

  public void setOutcomes(List<EndpointOutcome> outcomes) {
    this.outcomes = outcomes;
  }

  public Integer getOutcomesOmitted() {
    return outcomesOmitted;
  }

  public void setOutcomesOmitted(Integer outcomesOmitted) {
    this.outcomesOmitted = outcomesOmitted;
  }
}
