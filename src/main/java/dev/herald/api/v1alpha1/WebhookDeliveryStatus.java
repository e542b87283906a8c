package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookDeliveryStatus {
  /**
   * The attempt log's length: the first attempt and the newest ones. With every string at its bound
   * this keeps a delivery's status within a few KB at any attempt count (see {@code
   * DeliveryStatuses}); {@link #attempts} keeps the total.
   */
  public static final int MAX_LOG_ENTRIES = 5;

  private DeliveryPhase phase;

  @JsonPropertyDescription("Attempts made since the delivery was created or last replayed.")
  private Integer attempts;

  private Integer maxAttempts;

  @JsonPropertyDescription("When the next attempt is due (RFC 3339); absent once finished.")
  private String nextAttemptTime;

  private String firstAttemptTime;
  private String lastAttemptTime;
  private String completionTime;
  private Integer lastStatusCode;
  private ErrorInfo lastError;

  @JsonPropertyDescription(
      "The first attempt and the newest ones, oldest first; at most 5 entries (status.attempts counts"
          + " them all).")
  private List<AttemptRecord> attemptLog;

  @JsonPropertyDescription(
      "The uid of the endpoint this delivery is bound to; a re-created endpoint does not inherit it.")
  private String endpointUid;

  @JsonPropertyDescription("The herald.dev/replay annotation value already acted on.")
  private String observedReplay;

  private Long observedGeneration;
  private List<Condition> conditions;

  public DeliveryPhase getPhase() {
    return phase;
  }

  public void setPhase(DeliveryPhase phase) {
    this.phase = phase;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public Integer getMaxAttempts() {
    return maxAttempts;
  }

  public void setMaxAttempts(Integer maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  public String getNextAttemptTime() {
    return nextAttemptTime;
  }

  public void setNextAttemptTime(String nextAttemptTime) {
    this.nextAttemptTime = nextAttemptTime;
  }

  public String getFirstAttemptTime() {
    return firstAttemptTime;
  }

  public void setFirstAttemptTime(String firstAttemptTime) {
    this.firstAttemptTime = firstAttemptTime;
  }

  public String getLastAttemptTime() {
    return lastAttemptTime;
  }

  public void setLastAttemptTime(String lastAttemptTime) {
    this.lastAttemptTime = lastAttemptTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public Integer getLastStatusCode() {
    return lastStatusCode;
  }

  public void setLastStatusCode(Integer lastStatusCode) {
    this.lastStatusCode = lastStatusCode;
  }

  public ErrorInfo getLastError() {
    return lastError;
  }

  public void setLastError(ErrorInfo lastError) {
    this.lastError = lastError;
  }

  public List<AttemptRecord> getAttemptLog() {
    return attemptLog;
  }

  public void setAttemptLog(List<AttemptRecord> attemptLog) {
    this.attemptLog = attemptLog;
  }

  public String getEndpointUid() {
    return endpointUid;
  }

  public void setEndpointUid(String endpointUid) {
    this.endpointUid = endpointUid;
  }

  public String getObservedReplay() {
    return observedReplay;
  }

  public void setObservedReplay(String observedReplay) {
    this.observedReplay = observedReplay;
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
