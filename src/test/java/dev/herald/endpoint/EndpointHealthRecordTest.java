package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.ErrorInfo;
import dev.herald.api.v1alpha1.RecentAttempt;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import dev.herald.http.AttemptResult;
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
    health.record(sentWith, HTTP_500, false, t0.plusSeconds(1), attempt(t0.plusSeconds(1), 500));
    await().atMost(WAIT).until(() -> status().getPhase() == EndpointPhase.Failing);

    // an attempt sent before the failure was written succeeds: its copy still says Active
    health.record(sentWith, null, false, t0.plusSeconds(2), attempt(t0.plusSeconds(2), 204));
    await().atMost(WAIT).until(() -> status().getPhase() == EndpointPhase.Active);
    assertThat(status().getConsecutiveFailures()).isZero();
    assertThat(status().getFailingSince()).isNull();
    assertThat(status().getLastSuccessTime()).isEqualTo(Times.format(t0.plusSeconds(2)));
  }

  @Test
  void aFailureRecordedAfterALaterSuccessLeavesTheEndpointActive() {
    WebhookEndpoint sentWith = healthyEndpoint();
    health.record(
        sentWith,
        null,
        false,
        t0.plusSeconds(2),
        attempt(t0.plusSeconds(2), 204)); // changes nothing yet but a recent timestamp
    health.record(sentWith, HTTP_500, false, t0.plusSeconds(1), attempt(t0.plusSeconds(1), 500));
    await()
        .atMost(WAIT)
        .until(() -> Times.format(t0.plusSeconds(1)).equals(status().getLastFailureTime()));
    assertThat(status().getPhase()).isEqualTo(EndpointPhase.Active);
    assertThat(status().getConsecutiveFailures()).isZero();
    assertThat(status().getLastSuccessTime()).isEqualTo(Times.format(t0.plusSeconds(2)));
  }

  /** The line an attempt finished at {@code at} adds to recentAttempts. */
  private static RecentAttempt attempt(Instant at, int statusCode) {
    return EndpointHealth.recentAttempt(
        "msg-" + at.toEpochMilli(),
        "order-created",
        null,
        1,
        at.minusMillis(20),
        new AttemptResult(
            "https://hooks.example/",
            statusCode,
            statusCode < 300 ? null : ErrorClass.Http5xx,
            "HTTP " + statusCode,
            null,
            20,
            null));
  }

  @Test
  void aHealthyEndpointsSuccessesReachRecentAttemptsTogetherAfterTheRefreshNotEachAtOnce() {
    WebhookEndpoint sentWith = healthyEndpoint();
    long recorded = System.nanoTime();
    health.record(sentWith, null, false, t0.plusSeconds(1), attempt(t0.plusSeconds(1), 204));
    health.record(sentWith, null, false, t0.plusSeconds(2), attempt(t0.plusSeconds(2), 200));
    await()
        .atMost(WAIT.plus(EndpointHealth.RECENT_REFRESH))
        .until(() -> status().getRecentAttempts() != null);
    assertThat(Duration.ofNanos(System.nanoTime() - recorded))
        .isGreaterThanOrEqualTo(EndpointHealth.RECENT_REFRESH.minusMillis(100));
    assertThat(status().getRecentAttempts())
        .extracting(RecentAttempt::getWebhookId, RecentAttempt::getStatusCode)
        .containsExactly(
            tuple("msg-" + t0.plusSeconds(2).toEpochMilli(), 200),
            tuple("msg-" + t0.plusSeconds(1).toEpochMilli(), 204));
    assertThat(status().getRecentAttempts().get(0).getEvent()).isEqualTo("order-created");
    assertThat(status().getRecentAttempts().get(0).getDelivery()).isNull();
    assertThat(status().getRecentAttempts().get(0).getErrorClass()).isNull();
  }

  @Test
  void failuresReachRecentAttemptsWithTheHealthAndTheListKeepsTheNewest() {
    WebhookEndpoint sentWith = healthyEndpoint();
    for (int i = 1; i <= EndpointHealth.RECENT_ATTEMPTS + 5; i++) {
      health.record(sentWith, HTTP_500, false, t0.plusSeconds(i), attempt(t0.plusSeconds(i), 500));
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                status().getConsecutiveFailures() == EndpointHealth.RECENT_ATTEMPTS + 5
                    && status().getRecentAttempts() != null);
    assertThat(status().getRecentAttempts()).hasSize(EndpointHealth.RECENT_ATTEMPTS);
    assertThat(status().getRecentAttempts().get(0).getTime())
        .isEqualTo(
            Times.format(t0.plusSeconds(EndpointHealth.RECENT_ATTEMPTS + 5).minusMillis(20)));
    assertThat(status().getRecentAttempts().get(0).getErrorClass()).isEqualTo(ErrorClass.Http5xx);
    assertThat(status().getRecentAttempts().get(EndpointHealth.RECENT_ATTEMPTS - 1).getTime())
        .isEqualTo(Times.format(t0.plusSeconds(6).minusMillis(20)));
  }

  @Test
  void closeWritesWhatIsQueued() {
    WebhookEndpoint sentWith = healthyEndpoint();
    health.record(sentWith, HTTP_500, false, t0.plusSeconds(1), attempt(t0.plusSeconds(1), 500));
    health.close(); // before the flush interval has passed
    assertThat(status().getPhase()).isEqualTo(EndpointPhase.Failing);
    assertThat(status().getConsecutiveFailures()).isEqualTo(1);
  }
}
