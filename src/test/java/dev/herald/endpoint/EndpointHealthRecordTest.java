package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.ErrorInfo;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.Times;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.Resources;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outcomes are judged against the endpoint's latest status, not the copy the attempt was sent with:
 * every attempt sent before the first failure was written carries a copy that says Active.
 */
@EnableKubernetesMockClient(crud = true)
class EndpointHealthRecordTest {
  private static final ErrorInfo HTTP_500 = new ErrorInfo(ErrorClass.Http5xx, "HTTP 500");
  private static final Duration WAIT = Duration.ofSeconds(10);

  KubernetesClient client;
  private EndpointHealth health;
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @BeforeEach
  void start() {
    OperatorHarness.installCrds(client);
    health =
        new EndpointHealth(
            client, HeraldMetrics.prometheus(), new EventRecorder(client, Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    health.close();
  }

  /** An Active endpoint, as the copy an attempt carries when it is sent. */
  private WebhookEndpoint healthyEndpoint() {
    WebhookEndpoint endpoint =
        client
            .resource(Resources.endpoint("health", "ep", "https://hooks.example/", "1s"))
            .create();
    WebhookEndpointStatus status = new WebhookEndpointStatus();
    status.setPhase(EndpointPhase.Active);
    status.setConsecutiveFailures(0L);
    status.setLastSuccessTime(Times.format(t0));
    endpoint.setStatus(status);
    return client.resource(endpoint).updateStatus();
  }

  private WebhookEndpointStatus status() {
    return client
        .resources(WebhookEndpoint.class)
        .inNamespace("health")
        .withName("ep")
        .get()
        .getStatus();
  }

  @Test
  void aSuccessAfterWrittenFailuresIsRecordedThoughTheAttemptsCopySaysHealthy() {
    WebhookEndpoint sentWith = healthyEndpoint();
    health.record(sentWith, HTTP_500, false, t0.plusSeconds(1));
    await().atMost(WAIT).until(() -> status().getPhase() == EndpointPhase.Failing);

    // an attempt sent before the failure was written succeeds: its copy still says Active
    health.record(sentWith, null, false, t0.plusSeconds(2));
    await().atMost(WAIT).until(() -> status().getPhase() == EndpointPhase.Active);
    assertThat(status().getConsecutiveFailures()).isZero();
    assertThat(status().getFailingSince()).isNull();
    assertThat(status().getLastSuccessTime()).isEqualTo(Times.format(t0.plusSeconds(2)));
  }

  @Test
  void aFailureRecordedAfterALaterSuccessLeavesTheEndpointActive() {
    WebhookEndpoint sentWith = healthyEndpoint();
    health.record(
        sentWith, null, false, t0.plusSeconds(2)); // changes nothing yet but a recent timestamp
    health.record(sentWith, HTTP_500, false, t0.plusSeconds(1));
    await()
        .atMost(WAIT)
        .until(() -> Times.format(t0.plusSeconds(1)).equals(status().getLastFailureTime()));
    assertThat(status().getPhase()).isEqualTo(EndpointPhase.Active);
    assertThat(status().getConsecutiveFailures()).isZero();
    assertThat(status().getLastSuccessTime()).isEqualTo(Times.format(t0.plusSeconds(2)));
  }

  @Test
  void closeWritesWhatIsQueued() {
    WebhookEndpoint sentWith = healthyEndpoint();
    health.record(sentWith, HTTP_500, false, t0.plusSeconds(1));
    health.close(); // before the flush interval has passed
    assertThat(status().getPhase()).isEqualTo(EndpointPhase.Failing);
    assertThat(status().getConsecutiveFailures()).isEqualTo(1);
  }
}
