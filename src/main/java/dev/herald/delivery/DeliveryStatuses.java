package dev.herald.delivery;

import dev.herald.api.v1alpha1.AttemptRecord;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.ErrorInfo;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.http.AttemptResult;
import dev.herald.kube.Times;
import dev.herald.retry.AttemptOutcome;
import dev.herald.retry.DeliveryProgress;
import java.time.Instant;

/** Translates between the delivery status (what users read) and the pure state machine's types. */
final class DeliveryStatuses {
  private DeliveryStatuses() {}

  static DeliveryProgress progressOf(WebhookDeliveryStatus status) {
    return new DeliveryProgress(
        status.getPhase() == null ? DeliveryPhase.Pending : status.getPhase(),
        status.getAttempts() == null ? 0 : status.getAttempts(),
        Times.parse(status.getFirstAttemptTime()),
        Times.parse(status.getNextAttemptTime()),
        Times.parse(status.getCompletionTime()));
  }

  static void applyProgress(WebhookDeliveryStatus status, DeliveryProgress progress) {
    status.setPhase(progress.phase());
    status.setAttempts(progress.attempts());
    status.setFirstAttemptTime(Times.format(progress.firstAttemptTime()));
    status.setNextAttemptTime(Times.format(progress.nextAttemptTime()));
    status.setCompletionTime(Times.format(progress.completionTime()));
  }

  static AttemptOutcome outcomeOf(AttemptResult result) {
    return result.succeeded()
        ? AttemptOutcome.success(result.statusCode())
        : AttemptOutcome.failure(result.errorClass(), result.statusCode(), result.retryAfter());
  }

  static ErrorInfo errorOf(AttemptResult result) {
    return result.succeeded() ? null : new ErrorInfo(result.errorClass(), result.message());
  }

  /** Records one finished attempt: counters, last code and error, and a line in the log. */
  static void recordAttempt(
      WebhookDeliveryStatus status, DeliveryProgress after, AttemptResult result, Instant started) {
    applyProgress(status, after);
    status.setLastAttemptTime(Times.format(started));
    status.setLastStatusCode(result.statusCode());
    status.setLastError(errorOf(result));
    AttemptRecord record = new AttemptRecord();
    record.setAttempt(after.attempts());
    record.setTime(Times.format(started));
    record.setUrl(result.url());
    record.setStatusCode(result.statusCode());
    record.setDurationMs(result.durationMs());
    record.setErrorClass(result.errorClass());
    record.setMessage(result.succeeded() ? null : result.message());
    record.setResponseExcerpt(result.responseExcerpt());
    status.appendAttempt(record);
  }
}
