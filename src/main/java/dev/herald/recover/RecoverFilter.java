package dev.herald.recover;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.kube.Times;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which deliveries a recovery replays: those of an endpoint (or any), in the given phases, whose
 * chosen time lies in {@code [since, until)}. Cancelled deliveries are never replayed (the API
 * contract), so they cannot be asked for.
 *
 * <p>The filter reads status and spec, not Herald's {@code herald.dev/phase} label: the label is
 * written after the status, so a selector on it could miss a delivery that has just finished.
 */
public record RecoverFilter(
    String endpoint, Set<DeliveryPhase> phases, TimeField timeField, Instant since, Instant until) {

  /** The phases a recovery may replay; Exhausted is the default, the one that needs it. */
  public static final Set<DeliveryPhase> REPLAYABLE =
      EnumSet.of(DeliveryPhase.Failed, DeliveryPhase.Exhausted, DeliveryPhase.Succeeded);

  /** Which of a delivery's times {@code --since} and {@code --until} bound. */
  public enum TimeField {
    /** {@code metadata.creationTimestamp}: when the event was handed to Herald. */
    created,
    /** {@code status.lastAttemptTime}: when it last failed (or succeeded). */
    lastAttempt;

    Instant of(WebhookDelivery d) {
      return switch (this) {
        case created -> Times.parse(d.getMetadata().getCreationTimestamp());
        case lastAttempt ->
            d.getStatus() == null ? null : Times.parse(d.getStatus().getLastAttemptTime());
      };
    }
  }

  public RecoverFilter {
    phases = Set.copyOf(phases);
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("at least one phase is required");
    }
    for (DeliveryPhase phase : phases) {
      if (!REPLAYABLE.contains(phase)) {
        throw new IllegalArgumentException(
            "phase " + phase + " cannot be recovered: choose from " + REPLAYABLE);
      }
    }
    if (since != null && until != null && !since.isBefore(until)) {
      throw new IllegalArgumentException("--since must be before --until");
    }
  }

  /** Parses a phase as users spell it ({@code exhausted} or {@code Exhausted}). */
  public static DeliveryPhase phase(String text) {
    for (DeliveryPhase phase : DeliveryPhase.values()) {
      if (phase.name().toLowerCase(Locale.ROOT).equals(text.strip().toLowerCase(Locale.ROOT))) {
        return phase;
      }
    }
    throw new IllegalArgumentException("unknown phase '" + text + "': choose from " + REPLAYABLE);
  }

  public boolean matches(WebhookDelivery d) {
    if (d.getStatus() == null || !phases.contains(d.getStatus().getPhase())) {
      return false;
    }
    if (endpoint != null
        && (d.getSpec() == null
            || d.getSpec().getEndpointRef() == null
            || !endpoint.equals(d.getSpec().getEndpointRef().getName()))) {
      return false;
    }
    if (since == null && until == null) {
      return true;
    }
    Instant time = timeField.of(d);
    return time != null
        && (since == null || !time.isBefore(since))
        && (until == null || time.isBefore(until));
  }
}
