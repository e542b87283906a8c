package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetrySpec {
  public static final List<String> DEFAULT_SCHEDULE =
      List.of("1m", "5m", "30m", "2h", "12h", "24h", "48h", "72h");

  @JsonPropertyDescription(
      "Delay before each retry, e.g. [1m, 5m, 30m]; \"60s x10\" means ten retries 60s apart."
          + " Each delay is at least 1s; at most 100 entries. Default: 1m 5m 30m 2h 12h 24h 48h 72h.")
  @Size(max = Schemas.MAX_SCHEDULE_ENTRIES)
  private List<
          @Size(max = Schemas.DURATION_MAX_LENGTH) @Pattern(Schemas.SCHEDULE_ENTRY_AT_LEAST_1S)
          String>
      schedule;

  @Pattern(Schemas.DURATION)
  @Size(max = Schemas.DURATION_MAX_LENGTH)
  @JsonPropertyDescription("No attempt starts later than this after the first attempt, e.g. 24h.")
  private String maxAge;

  public List<String> getSchedule() {
    return schedule;
  }

  public void setSchedule(List<String> schedule) {
    this.schedule = schedule;
  }

  public String getMaxAge() {
    return maxAge;
  }

  public void setMaxAge(String maxAge) {
    this.maxAge = maxAge;
  }
}
