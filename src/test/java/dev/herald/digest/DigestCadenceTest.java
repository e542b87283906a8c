package dev.herald.digest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.DigestReason;
import dev.herald.api.v1alpha1.WebhookDigestSpec;
import dev.herald.api.v1alpha1.WebhookDigestStatus;
import dev.herald.kube.Times;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a digest runs, decided from its spec, status, generation and the time alone. */
class DigestCadenceTest {
  private static final Duration FLOOR = Duration.ofMinutes(1);
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void aDigestThatNeverRanIsDueAndRetriesAfterFiveMinutesAtMost() {
    assertThat(DigestCadence.next(spec("1h"), null, 1L, NOW, FLOOR))
        .isEqualTo(new DigestCadence.Due(Duration.ofHours(1), Duration.ofMinutes(5)));
    assertThat(DigestCadence.next(spec("2m"), new WebhookDigestStatus(), 1L, NOW, FLOOR))
        .isEqualTo(new DigestCadence.Due(Duration.ofMinutes(2), Duration.ofMinutes(2)));
    assertThat(DigestCadence.next(spec(null), null, 1L, NOW, FLOOR))
        .isEqualTo(new DigestCadence.Due(Duration.ofHours(24), Duration.ofMinutes(5)));
  }

  @Test
  void aDigestWhoseTimeHasComeIsDue() {
    assertThat(DigestCadence.next(spec("1h"), status(NOW, 1L), 1L, NOW, FLOOR))
        .isInstanceOf(DigestCadence.Due.class);
    assertThat(DigestCadence.next(spec("1h"), status(NOW.minusSeconds(1), 2L), 1L, NOW, FLOOR))
        .isInstanceOf(DigestCadence.Due.class);
  }

  @Test
  void beforeItsTimeADigestWaitsAndWritesNothing() {
    Instant next = NOW.plus(Duration.ofMinutes(30));
    assertThat(DigestCadence.next(spec("1h"), status(next, 3L), 3L, NOW, FLOOR))
        .isEqualTo(new DigestCadence.Wait(next, false));
  }

  @Test
  void aSpecChangeBeforeTheTimeIsRecordedAndAShorterIntervalAppliesAtOnce() {
    Instant next = NOW.plus(Duration.ofHours(20));
    assertThat(DigestCadence.next(spec("24h"), status(next, 1L), 2L, NOW, FLOOR))
        .isEqualTo(new DigestCadence.Wait(next, true));
    assertThat(DigestCadence.next(spec("1h"), status(next, 1L), 2L, NOW, FLOOR))
        .isEqualTo(new DigestCadence.Wait(NOW.plus(Duration.ofHours(1)), true));
  }

  @Test
  void anIntervalUnderTheFloorOrNoChannelCannotRun() {
    DigestCadence.Next tooShort = DigestCadence.next(spec("30s"), null, 1L, NOW, FLOOR);
    assertThat(tooShort).isInstanceOf(DigestCadence.Invalid.class);
    assertThat(((DigestCadence.Invalid) tooShort).reason()).isEqualTo(DigestReason.InvalidInterval);
    assertThat(((DigestCadence.Invalid) tooShort).message())
        .isEqualTo("spec.interval: must be at least 1m, got \"30s\"");

    WebhookDigestSpec none = spec("1h");
    none.setWebhook(null);
    assertThat(DigestCadence.next(none, status(NOW.plusSeconds(60), 1L), 1L, NOW, FLOOR))
        .isEqualTo(
            new DigestCadence.Invalid(
                DigestReason.NoChannel, "set spec.email, spec.webhook or both"));
  }

  private static WebhookDigestSpec spec(String interval) {
    WebhookDigestSpec spec = new WebhookDigestSpec();
    spec.setInterval(interval);
    WebhookDigestSpec.Webhook webhook = new WebhookDigestSpec.Webhook();
    webhook.setUrl("https://ops.example.com/digest");
    spec.setWebhook(webhook);
    return spec;
  }

  private static WebhookDigestStatus status(Instant nextTime, Long observedGeneration) {
    WebhookDigestStatus status = new WebhookDigestStatus();
    status.setNextTime(Times.format(nextTime));
    status.setObservedGeneration(observedGeneration);
    return status;
  }
}
