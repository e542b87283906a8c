package dev.herald.endpoint;

import dev.herald.api.v1alpha1.AutoPause;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.api.v1alpha1.FailurePolicySpec;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import dev.herald.kube.Times;
import dev.herald.retry.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** An endpoint's spec.failurePolicy: whether the latest recorded attempt should pause it. */
public record FailurePolicy(
    Integer pauseAfterExhausted, Duration pauseAfterFailingFor, boolean pauseOnGone) {
  public static final FailurePolicy NONE = new FailurePolicy(null, null, false);

  /** Lenient: an unparsable duration is reported by EndpointSettings (InvalidSpec), not here. */
  public static FailurePolicy of(FailurePolicySpec spec) {
    if (spec == null) {
      return NONE;
    }
    Duration failingFor = null;
    if (spec.getPauseAfterFailingFor() != null) {
      try {
        failingFor = Durations.parse(spec.getPauseAfterFailingFor());
      } catch (IllegalArgumentException e) {
        failingFor = null;
      }
    }
    return new FailurePolicy(
        spec.getPauseAfterExhausted(), failingFor, Boolean.TRUE.equals(spec.getPauseOnGone()));
  }

  /**
   * The pause this status (just updated with an attempt that failed with {@code errorClass}) calls
   * for.
   */
  public Optional<AutoPause> evaluate(
      WebhookEndpointStatus status, ErrorClass errorClass, Instant now) {
    if (errorClass == null || status.getAutoPaused() != null) {
      return Optional.empty();
    }
    String since = Times.format(now);
    if (pauseOnGone && errorClass == ErrorClass.Gone) {
      return Optional.of(
          new AutoPause(
              "Gone", "the endpoint answered 410 Gone (failurePolicy.pauseOnGone)", since));
    }
    long exhausted =
        status.getExhaustedSinceSuccess() == null ? 0 : status.getExhaustedSinceSuccess();
    if (pauseAfterExhausted != null && exhausted >= pauseAfterExhausted) {
      return Optional.of(
          new AutoPause(
              "ExhaustedDeliveries",
              exhausted
                  + " deliveries ran out of retries without a success (failurePolicy.pauseAfterExhausted)",
              since));
    }
    Instant failingSince = Times.parse(status.getFailingSince());
    if (pauseAfterFailingFor != null
        && failingSince != null
        && !now.isBefore(failingSince.plus(pauseAfterFailingFor))) {
      return Optional.of(
          new AutoPause(
              "FailingTooLong",
              "failing without a success since "
                  + status.getFailingSince()
                  + " (failurePolicy.pauseAfterFailingFor "
                  + Durations.format(pauseAfterFailingFor)
                  + ")",
              since));
    }
    return Optional.empty();
  }

  /** Paused by the user (spec.paused) or by the failure policy (status.autoPaused). */
  public static boolean isPaused(dev.herald.api.v1alpha1.WebhookEndpoint endpoint) {
    return (endpoint.getSpec() != null && endpoint.getSpec().isPaused())
        || (endpoint.getStatus() != null && endpoint.getStatus().getAutoPaused() != null);
  }
}
