package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.ErrorInfo;
import dev.herald.api.v1alpha1.FailurePolicySpec;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  static final ErrorInfo HTTP_500 = new ErrorInfo(ErrorClass.Http5xx, "HTTP 500");

  @Test
  void pausesAfterNExhaustedDeliveriesWithoutASuccess() {
    FailurePolicy policy = new FailurePolicy(2, null, false);
    WebhookEndpointStatus status = new WebhookEndpointStatus();
    EndpointHealth.apply(status, HTTP_500, false, T0, false, policy);
    EndpointHealth.apply(status, HTTP_500, true, T0, false, policy);
    assertThat(status.getAutoPaused()).isNull();
    assertThat(status.getPhase()).isEqualTo(EndpointPhase.Failing);
    EndpointHealth.apply(status, HTTP_500, true, T0, false, policy);
    assertThat(status.getAutoPaused().getReason()).isEqualTo("ExhaustedDeliveries");
    assertThat(status.getPhase()).isEqualTo(EndpointPhase.Paused);
  }

  @Test
  void aSuccessStartsTheCountsAgain() {
    FailurePolicy policy = new FailurePolicy(2, Duration.ofHours(1), false);
    WebhookEndpointStatus status = new WebhookEndpointStatus();
    EndpointHealth.apply(status, HTTP_500, true, T0, false, policy);
    EndpointHealth.apply(status, null, false, T0.plusSeconds(10), false, policy);
    assertThat(status.getExhaustedSinceSuccess()).isNull();
    assertThat(status.getFailingSince()).isNull();
    EndpointHealth.apply(status, HTTP_500, true, T0.plusSeconds(20), false, policy);
    assertThat(status.getAutoPaused()).isNull();
    assertThat(status.getPhase()).isEqualTo(EndpointPhase.Failing);
  }

  @Test
  void pausesWhenFailingForTooLong() {
    FailurePolicy policy = new FailurePolicy(null, Duration.ofHours(72), false);
    WebhookEndpointStatus status = new WebhookEndpointStatus();
    EndpointHealth.apply(status, HTTP_500, false, T0, false, policy);
    EndpointHealth.apply(status, HTTP_500, false, T0.plus(Duration.ofHours(71)), false, policy);
    assertThat(status.getAutoPaused()).isNull();
    EndpointHealth.apply(status, HTTP_500, false, T0.plus(Duration.ofHours(72)), false, policy);
    assertThat(status.getAutoPaused().getReason()).isEqualTo("FailingTooLong");
  }

  @Test
  void goneOnlyPausesWhenAskedFor() {
    WebhookEndpointStatus status = new WebhookEndpointStatus();
    ErrorInfo gone = new ErrorInfo(ErrorClass.Gone, "HTTP 410");
    EndpointHealth.apply(status, gone, true, T0, false, FailurePolicy.NONE);
    assertThat(status.getAutoPaused()).isNull();
    EndpointHealth.apply(status, gone, true, T0, false, new FailurePolicy(null, null, true));
    assertThat(status.getAutoPaused().getReason()).isEqualTo("Gone");
  }

  @Test
  void readsTheSpec() {
    FailurePolicySpec spec = new FailurePolicySpec();
    spec.setPauseAfterExhausted(3);
    spec.setPauseAfterFailingFor("72h");
    spec.setPauseOnGone(true);
    assertThat(FailurePolicy.of(spec)).isEqualTo(new FailurePolicy(3, Duration.ofHours(72), true));
    assertThat(FailurePolicy.of(null)).isEqualTo(FailurePolicy.NONE);
  }
}
