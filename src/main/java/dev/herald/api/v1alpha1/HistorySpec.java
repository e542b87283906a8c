package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistorySpec {
  @Pattern(Schemas.DURATION)
  @Size(max = Schemas.DURATION_MAX_LENGTH)
  @JsonPropertyDescription(
      "Finished deliveries are deleted this long after they finish (default 168h).")
  private String ttlAfterFinished;

  @Min(0)
  @JsonPropertyDescription(
      "At most this many finished deliveries are kept per endpoint (default 100).")
  private Integer keep;

  @JsonPropertyDescription(
      "true: every event creates a WebhookDelivery for this endpoint, also when it is delivered at"
          + " the first attempt (a record of every delivery). Default false: an event's successful"
          + " first attempt is recorded on the event only.")
  private Boolean recordSuccesses;

  public String getTtlAfterFinished() {
    return ttlAfterFinished;
  }

  public void setTtlAfterFinished(String ttlAfterFinished) {
    this.ttlAfterFinished = ttlAfterFinished;
  }

  public Integer getKeep() {
    return keep;
  }

  public void setKeep(Integer keep) {
    this.keep = keep;
  }

  public Boolean getRecordSuccesses() {
    return recordSuccesses;
  }

  public void setRecordSuccesses(Boolean recordSuccesses) {
    this.recordSuccesses = recordSuccesses;
  }

  /** Whether every delivery must be an object, successes included. */
  public static boolean recordsSuccesses(HistorySpec history) {
    return history != null && Boolean.TRUE.equals(history.recordSuccesses);
  }
}
