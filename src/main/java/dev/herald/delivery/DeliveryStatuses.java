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
  /**
   * An error message (from a library, possibly quoting input) is cut here before it goes into
   * status.
   */
  static final int MAX_MESSAGE = 1024;

  /** In a compacted status: each string of the one attempt record left. */
  static final int COMPACT_TEXT = 256;

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
    return result.succeeded()
        ? null
        : new ErrorInfo(result.errorClass(), cut(result.message(), MAX_MESSAGE));
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
    record.setMessage(result.succeeded() ? null : cut(result.message(), MAX_MESSAGE));
    record.setResponseExcerpt(result.responseExcerpt());
    status.appendAttempt(record);
  }

  /**
   * The status cut down to what fits beside a large object: the newest attempt record only, its
   * strings and the last error's message shortened, no response excerpt. Counters, times and
   * conditions stay, so the delivery goes on as before.
   */
  static void compact(WebhookDeliveryStatus status) {
    var log = status.getAttemptLog();
    if (log != null && !log.isEmpty()) {
      AttemptRecord newest = log.get(log.size() - 1);
      newest.setUrl(cut(newest.getUrl(), COMPACT_TEXT));
      newest.setMessage(cut(newest.getMessage(), COMPACT_TEXT));
      newest.setResponseExcerpt(null);
      status.setAttemptLog(new java.util.ArrayList<>(java.util.List.of(newest)));
    }
    if (status.getLastError() != null) {
      status.getLastError().setMessage(cut(status.getLastError().getMessage(), COMPACT_TEXT));
    }
  }

  /**
   * The least a finished delivery can say: its phase, counters and times, the class of its last
   * error; no attempt log. What is written when not even a compacted status fits.
   */
  static WebhookDeliveryStatus minimal(WebhookDeliveryStatus from) {
    WebhookDeliveryStatus status = new WebhookDeliveryStatus();
    status.setPhase(from.getPhase());
    status.setAttempts(from.getAttempts());
    status.setMaxAttempts(from.getMaxAttempts());
    status.setFirstAttemptTime(from.getFirstAttemptTime());
    status.setLastAttemptTime(from.getLastAttemptTime());
    status.setCompletionTime(from.getCompletionTime());
    status.setNextAttemptTime(from.getNextAttemptTime());
    status.setLastStatusCode(from.getLastStatusCode());
    if (from.getLastError() != null) {
      status.setLastError(new ErrorInfo(from.getLastError().getErrorClass(), null));
    }
    status.setEndpointUid(from.getEndpointUid());
    status.setObservedReplay(from.getObservedReplay());
    status.setObservedGeneration(from.getObservedGeneration());
    return status;
  }

  static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
