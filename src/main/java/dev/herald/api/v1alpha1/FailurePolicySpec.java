package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** When Herald pauses a failing endpoint by itself (it never deletes it, as some senders do). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailurePolicySpec {
  @Min(1)
  @JsonPropertyDescription(
      "Pause after this many deliveries in a row ran out of retries without a success in between.")
  private Integer pauseAfterExhausted;

  @Pattern(Schemas.DURATION)
  @Size(max = Schemas.DURATION_MAX_LENGTH)
  @JsonPropertyDescription(
      "Pause when the endpoint has failed without a success for this long, e.g. 72h.")
  private String pauseAfterFailingFor;

  @JsonPropertyDescription("Pause as soon as the endpoint answers 410 Gone.")
  private Boolean pauseOnGone;

  public Integer getPauseAfterExhausted() {
    return pauseAfterExhausted;
  }

  public void setPauseAfterExhausted(Integer pauseAfterExhausted) {
    this.pauseAfterExhausted = pauseAfterExhausted;
  }

  public String getPauseAfterFailingFor() {
    return pauseAfterFailingFor;
  }

  public void setPauseAfterFailingFor(String pauseAfterFailingFor) {
    this.pauseAfterFailingFor = pauseAfterFailingFor;
  }

  public Boolean getPauseOnGone() {
    return pauseOnGone;
  }

  public void setPauseOnGone(Boolean pauseOnGone) {
    this.pauseOnGone = pauseOnGone;
  }
}
