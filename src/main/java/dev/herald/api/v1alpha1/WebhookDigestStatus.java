package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookDigestStatus {
  @JsonPropertyDescription("When a digest was last sent (RFC 3339).")
  private String lastSentTime;

  @JsonPropertyDescription(
      "When the next digest is due (RFC 3339); kept here so restarts keep the cadence.")
  private String nextTime;

  @JsonPropertyDescription("The outcome of the last run.")
  private LastResult lastResult;

  @JsonPropertyDescription(
      "The Secret whose key signs the digest webhook: spec.webhook.secretRef, or the one the operator generated.")
  private String signingSecretName;

  private Long observedGeneration;
  private List<Condition> conditions;

  public String getLastSentTime() {
    return lastSentTime;
  }

  public void setLastSentTime(String lastSentTime) {
    this.lastSentTime = lastSentTime;
  }

  public String getNextTime() {
    return nextTime;
  }

  public void setNextTime(String nextTime) {
    this.nextTime = nextTime;
  }

  public LastResult getLastResult() {
    return lastResult;
  }

  public void setLastResult(LastResult lastResult) {
    this.lastResult = lastResult;
  }

  public String getSigningSecretName() {
    return signingSecretName;
  }

  public void setSigningSecretName(String signingSecretName) {
    this.signingSecretName = signingSecretName;
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

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LastResult {
    @JsonPropertyDescription("Sent, NothingToReport or Failed.")
    private String result;

    private String message;

    @JsonPropertyDescription("When the run happened (RFC 3339).")
    private String time;

    public LastResult() {}

    public LastResult(String result, String message, String time) {
      this.result = result;
      this.message = message;
      this.time = time;
    }

    public String getResult() {
      return result;
    }

    public void setResult(String result) {
      this.result = result;
    }

    public String getMessage() {
      return message;
    }

    public void setMessage(String message) {
      this.message = message;
    }

    public String getTime() {
      return time;
    }

    public void setTime(String time) {
      this.time = time;
    }
  }
}
