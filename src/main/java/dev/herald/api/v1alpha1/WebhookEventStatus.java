package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookEventStatus {
  @JsonPropertyDescription("How many deliveries this event fanned out to.")
  private Integer deliveries;

  @JsonPropertyDescription("The endpoints that subscribed to the event when it was published.")
  private List<String> endpoints;

  @JsonPropertyDescription("When the deliveries were created (RFC 3339); an event fans out once.")
  private String fanOutTime;

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
}
