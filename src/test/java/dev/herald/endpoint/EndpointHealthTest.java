package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import dev.herald.kube.Times;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a success may skip the endpoint status write: only when it would change nothing but a recent timestamp. */
class EndpointHealthTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private static WebhookEndpointStatus healthy(Instant lastSuccess) {
    WebhookEndpointStatus status = new WebhookEndpointStatus();
    status.setPhase(EndpointPhase.Active);
    status.setConsecutiveFailures(0L);
    status.setLastSuccessTime(Times.format(lastSuccess));
    return status;
  }

  @Test
  void aRecentSuccessOnAHealthyEndpointNeedsNoWrite() {
    assertThat(EndpointHealth.stillHealthy(healthy(NOW.minusSeconds(5)), NOW)).isTrue();
  }

  @Test
  void lastSuccessTimeIsRefreshedAfterTheInterval() {
    assertThat(EndpointHealth.stillHealthy(healthy(NOW.minus(EndpointHealth.SUCCESS_REFRESH).minusSeconds(1)), NOW)).isFalse();
  }

  @Test
  void aFailingPausedOrNewEndpointIsAlwaysWritten() {
    WebhookEndpointStatus failing = healthy(NOW.minusSeconds(5));
    failing.setConsecutiveFailures(2L);
    failing.setPhase(EndpointPhase.Failing);
    WebhookEndpointStatus paused = healthy(NOW.minusSeconds(5));
    paused.setPhase(EndpointPhase.Paused);
    WebhookEndpointStatus exhaustedBefore = healthy(NOW.minusSeconds(5));
    exhaustedBefore.setExhaustedSinceSuccess(1L);

    assertThat(EndpointHealth.stillHealthy(failing, NOW)).isFalse();
    assertThat(EndpointHealth.stillHealthy(paused, NOW)).isFalse();
    assertThat(EndpointHealth.stillHealthy(exhaustedBefore, NOW)).isFalse();
    assertThat(EndpointHealth.stillHealthy(new WebhookEndpointStatus(), NOW)).isFalse();
    assertThat(EndpointHealth.stillHealthy(null, NOW)).isFalse();
  }
}
