package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * How fast Herald may POST to an endpoint: {@code requests} per {@code per}, with up to {@code
 * burst} at once after a quiet spell (a token bucket). Deliveries over the rate wait their turn.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateLimitSpec {
  public static final int MAX_REQUESTS = 10_000;
  public static final String DEFAULT_PER = "1s";

  @Required
  @Min(1)
  @Max(MAX_REQUESTS)
  @JsonPropertyDescription(
      "Requests allowed per `per` (1 to 10000); every POST to the endpoint counts, first attempts"
          + " and retries alike.")
  private Integer requests;

  @Pattern(Schemas.DURATION_AT_LEAST_1S)
  @Size(max = Schemas.DURATION_MAX_LENGTH)
  @JsonPropertyDescription("The unit of time `requests` are counted over, 1s to 1h (default 1s).")
  private String per;

  @Min(1)
  @Max(MAX_REQUESTS)
  @JsonPropertyDescription(
      "At most this many requests at once after a quiet spell (1 to 10000; default: `requests`).")
  private Integer burst;

  public Integer getRequests() {
    return requests;
  }

  public void setRequests(Integer requests) {
    this.requests = requests;
  }

  public String getPer() {
    return per;
  }

  public void setPer(String per) {
    this.per = per;
  }

  public Integer getBurst() {
    return burst;
  }

  public void setBurst(Integer burst) {
    this.burst = burst;
  }
}
