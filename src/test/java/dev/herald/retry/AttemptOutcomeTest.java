package dev.herald.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.ErrorClass;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttemptOutcomeTest {

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 204, 299})
  void anyTwoHundredIsASuccess(int code) {
    AttemptOutcome o = AttemptOutcome.success(code);

    assertThat(o.succeeded()).isTrue();
    assertThat(o.statusCode()).isEqualTo(code);
    assertThat(o.errorClass()).isNull();
    assertThat(o.retryAfter()).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {100, 199, 300, 302, 404, 410, 500})
  void successRejectsOtherCodes(int code) {
    assertThatThrownBy(() -> AttemptOutcome.success(code))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(code));
  }

  @Test
  void failureCarriesItsDetails() {
    AttemptOutcome o = AttemptOutcome.failure(ErrorClass.Http5xx, 503, Duration.ofSeconds(120));

    assertThat(o.succeeded()).isFalse();
    assertThat(o.statusCode()).isEqualTo(503);
    assertThat(o.errorClass()).isEqualTo(ErrorClass.Http5xx);
    assertThat(o.retryAfter()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void failureWithoutResponseHasNoStatus() {
    AttemptOutcome o = AttemptOutcome.failure(ErrorClass.Timeout, null, null);

    assertThat(o.succeeded()).isFalse();
    assertThat(o.statusCode()).isNull();
  }

  @Test
  void anUnclassifiedNonSuccessIsRejectedRatherThanTakenForSuccess() {
    assertThatThrownBy(() -> AttemptOutcome.failure(null, 500, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AttemptOutcome(500, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AttemptOutcome(null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
