package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Why and since when Herald holds an endpoint's deliveries under its failurePolicy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoPause {
  @JsonPropertyDescription("ExhaustedDeliveries, FailingTooLong or Gone.")
  private String reason;

  private String message;
  private String since;

  public AutoPause() {}

  public AutoPause(String reason, String message, String since) {
    this.reason = reason;
    this.message = message;
    this.since = since;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }
}
