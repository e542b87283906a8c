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
}
