package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.ErrorInfo;
import dev.herald.api.v1alpha1.RecentAttempt;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import dev.herald.kube.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * When a success may skip the endpoint status write (only when it would change nothing but a recent
 * timestamp), and how outcomes change the latest status: in the order they happened.
 */
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
    assertThat(
            EndpointHealth.stillHealthy(
                healthy(NOW.minus(EndpointHealth.SUCCESS_REFRESH).minusSeconds(1)), NOW))
        .isFalse();
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

  private static final ErrorInfo HTTP_500 = new ErrorInfo(ErrorClass.Http5xx, "HTTP 500");

  private static EndpointHealth.Outcome success(Instant at) {
    return new EndpointHealth.Outcome(null, false, at);
  }

  private static EndpointHealth.Outcome failure(Instant at) {
    return new EndpointHealth.Outcome(HTTP_500, false, at);
  }

  private static WebhookEndpointStatus failing(long failures, Instant since, Instant lastFailure) {
    WebhookEndpointStatus status = healthy(since.minusSeconds(60));
    status.setPhase(EndpointPhase.Failing);
    status.setConsecutiveFailures(failures);
    status.setFailingSince(Times.format(since));
    status.setLastFailureTime(Times.format(lastFailure));
    status.setLastError(HTTP_500);
    return status;
  }

  @Test
  void outcomesApplyInTheOrderTheyHappenedNotTheOrderTheyArrived() {
    // a failure's delivery status took longer to write than a later success's: it is recorded last
    WebhookEndpointStatus next =
        EndpointHealth.next(
            healthy(NOW.minusSeconds(60)),
            List.of(success(NOW.plusSeconds(2)), failure(NOW.plusSeconds(1))),
            false,
            FailurePolicy.NONE);
    assertThat(next.getPhase()).isEqualTo(EndpointPhase.Active);
    assertThat(next.getConsecutiveFailures()).isZero();
    assertThat(next.getFailingSince()).isNull();
    assertThat(next.getLastSuccessTime()).isEqualTo(Times.format(NOW.plusSeconds(2)));
    assertThat(next.getLastFailureTime()).isEqualTo(Times.format(NOW.plusSeconds(1)));
  }

  @Test
  void aFailureFromBeforeTheRecordedSuccessCountsNoFailure() {
    WebhookEndpointStatus next =
        EndpointHealth.next(
            healthy(NOW),
            List.of(failure(NOW.minusSeconds(1))),
            false,
            new FailurePolicy(1, Duration.ofSeconds(1), true));
    assertThat(next.getPhase()).isEqualTo(EndpointPhase.Active);
    assertThat(next.getConsecutiveFailures()).isZero();
    assertThat(next.getFailingSince()).isNull();
    assertThat(next.getAutoPaused()).isNull();
    assertThat(next.getLastFailureTime()).isEqualTo(Times.format(NOW.minusSeconds(1)));
    assertThat(next.getLastSuccessTime()).isEqualTo(Times.format(NOW));
  }

  @Test
  void aSuccessFromBeforeTheRecordedFailureEndsNoFailingStreak() {
    WebhookEndpointStatus next =
        EndpointHealth.next(
            failing(2, NOW.minusSeconds(10), NOW),
            List.of(success(NOW.minusSeconds(1))),
            false,
            FailurePolicy.NONE);
    assertThat(next.getPhase()).isEqualTo(EndpointPhase.Failing);
    assertThat(next.getConsecutiveFailures()).isEqualTo(2);
    assertThat(next.getFailingSince()).isEqualTo(Times.format(NOW.minusSeconds(10)));
    assertThat(next.getLastSuccessTime()).isEqualTo(Times.format(NOW.minusSeconds(1)));
  }

  @Test
  void aSuccessAfterTheRecordedFailuresEndsThemAndLeavesTheLatestStatusAlone() {
    WebhookEndpointStatus latest = failing(3, NOW.minusSeconds(10), NOW);
    String before = Times.format(NOW.minusSeconds(10));
    WebhookEndpointStatus next =
        EndpointHealth.next(latest, List.of(success(NOW.plusMillis(1))), false, FailurePolicy.NONE);
    assertThat(next.getPhase()).isEqualTo(EndpointPhase.Active);
    assertThat(next.getConsecutiveFailures()).isZero();
    assertThat(next.getFailingSince()).isNull();
    assertThat(latest.getPhase()).isEqualTo(EndpointPhase.Failing);
    assertThat(latest.getFailingSince()).isEqualTo(before);
  }

  @Test
  void aPausedEndpointStaysPausedWhateverTheOutcomes() {
    WebhookEndpointStatus next =
        EndpointHealth.next(
            healthy(NOW.minusSeconds(60)),
            List.of(failure(NOW), success(NOW.plusSeconds(1))),
            true,
            FailurePolicy.NONE);
    assertThat(next.getPhase()).isEqualTo(EndpointPhase.Paused);
    assertThat(next.getConsecutiveFailures()).isZero();
  }

  private static RecentAttempt line(int second) {
    return new RecentAttempt(
        Times.format(NOW.plusSeconds(second)), "msg-" + second, null, null, 1, 204, 5L, null);
  }

  @Test
  void recentAttemptsAreNewestFirstAndBoundedWhateverOrderTheyCameIn() {
    var earlier = List.of(line(3), line(1));
    var added = IntStream.rangeClosed(4, 25).mapToObj(s -> line(29 - s)).toList();
    var recent = EndpointHealth.recent(earlier, added);
    assertThat(recent).hasSize(EndpointHealth.RECENT_ATTEMPTS);
    assertThat(recent.get(0).getWebhookId()).isEqualTo("msg-25");
    assertThat(recent)
        .extracting(RecentAttempt::getTime)
        .isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(recent.get(EndpointHealth.RECENT_ATTEMPTS - 1).getWebhookId()).isEqualTo("msg-6");
    assertThat(EndpointHealth.recent(null, List.of(line(1)))).containsExactly(line(1));
  }
}
