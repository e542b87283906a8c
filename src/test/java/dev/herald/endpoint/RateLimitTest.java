package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.RateLimitSpec;
import dev.herald.api.v1alpha1.Schemas;
import dev.herald.api.v1alpha1.WebhookEndpointSpec;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** spec.rateLimit as the operator reads it: defaults, and InvalidSpec for what is out of bounds. */
class RateLimitTest {
  private static WebhookEndpointSpec spec(Integer requests, String per, Integer burst) {
    WebhookEndpointSpec spec = new WebhookEndpointSpec();
    spec.setUrl("https://h.example.com/");
    RateLimitSpec limit = new RateLimitSpec();
    limit.setRequests(requests);
    limit.setPer(per);
    limit.setBurst(burst);
    spec.setRateLimit(limit);
    return spec;
  }

  @Test
  void noLimitIsNone() throws Exception {
    WebhookEndpointSpec spec = new WebhookEndpointSpec();
    spec.setUrl("https://h.example.com/");
    assertThat(EndpointSettings.of(spec).rateLimit()).isNull();
  }

  @Test
  void perDefaultsToOneSecondAndBurstToRequests() throws Exception {
    RateLimit limit = EndpointSettings.of(spec(5, null, null)).rateLimit();
    assertThat(limit).isEqualTo(new RateLimit(5, Duration.ofSeconds(1), 5));
    assertThat(limit.interval()).isEqualTo(Duration.ofMillis(200));
    assertThat(limit).hasToString("5 per 1s, burst 5");
    assertThat(EndpointSettings.of(spec(100, "1m", 1)).rateLimit().interval())
        .isEqualTo(Duration.ofMillis(600));
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "null, 1s, null, spec.rateLimit.requests is required",
        "0, 1s, null, spec.rateLimit.requests must be between 1 and 10000",
        "10001, 1s, null, spec.rateLimit.requests must be between 1 and 10000",
        "5, 500ms, null, spec.rateLimit.per must be between 1s and 1h",
        "5, 2h, null, spec.rateLimit.per must be between 1s and 1h",
        "5, soon, null, spec.rateLimit.per: invalid duration",
        "5, 1s, 0, spec.rateLimit.burst must be between 1 and 10000",
        "5, 1s, 10001, spec.rateLimit.burst must be between 1 and 10000"
      })
  void outOfBoundsIsInvalidSpecWithTheFieldNamed(
      Integer requests, String per, Integer burst, String message) {
    assertThatThrownBy(() -> EndpointSettings.of(spec(requests, per, burst)))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"500ms", "0s", "0.5s", "999ms"})
  void theSchemaRefusesAPerUnderOneSecond(String per) {
    assertThat(Pattern.matches(Schemas.DURATION_AT_LEAST_1S, per)).as(per).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1s", "1000ms", "1m", "1h", "1m30s"})
  void theSchemaAdmitsAPerOfOneSecondOrMore(String per) {
    assertThat(Pattern.matches(Schemas.DURATION_AT_LEAST_1S, per)).as(per).isTrue();
  }
}
