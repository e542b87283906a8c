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

  @Pattern(Schemas.JITTER_PERCENT)
  @Size(max = 3)
  @JsonPropertyDescription(
      "Spread each scheduled delay by up to plus or minus this percentage, 0% to 50%, e.g. 20%, so"
          + " deliveries that failed together do not all retry at the same instant. The spread of"
          + " a delivery's retry is fixed by its webhook-id and attempt number. Default 0%: the"
          + " schedule's delays exactly.")
  private String jitter;

  @Pattern(Schemas.DURATION)
  @Size(max = Schemas.DURATION_MAX_LENGTH)
  @JsonPropertyDescription(
      "Optional: after a 429, 502, 503 or 504 answer or a timeout (the receiver is overloaded),"
          + " wait at least this long before the next retry, e.g. 60s. Default: no minimum.")
  private String overloadMinDelay;

  @Pattern(Schemas.DURATION)
  @Size(max = Schemas.DURATION_MAX_LENGTH)
  @JsonPropertyDescription(
      "The longest Retry-After (on a 429 or 503) that is honoured, e.g. 10m; a longer one waits"
          + " this long. 0s ignores Retry-After. Default: the schedule's longest delay.")
  private String retryAfterMax;

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

  public String getJitter() {
    return jitter;
  }

  public void setJitter(String jitter) {
    this.jitter = jitter;
  }

  public String getOverloadMinDelay() {
    return overloadMinDelay;
  }

  public void setOverloadMinDelay(String overloadMinDelay) {
    this.overloadMinDelay = overloadMinDelay;
  }

  public String getRetryAfterMax() {
    return retryAfterMax;
  }

  public void setRetryAfterMax(String retryAfterMax) {
    this.retryAfterMax = retryAfterMax;
  }
}
