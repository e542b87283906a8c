package dev.herald.delivery;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.AttemptRecord;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.DeliveryReason;
import dev.herald.api.v1alpha1.ErrorInfo;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.http.AttemptResult;
import dev.herald.kube.Annotations;
import dev.herald.kube.Conditions;
import dev.herald.kube.KubeJson;
import dev.herald.kube.LabelValues;
import dev.herald.kube.Times;
import dev.herald.retry.AttemptOutcome;
import dev.herald.retry.DeliveryProgress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one home of what a delivery's status says: its fields and the state machine's types, the
 * wording of its {@code Ready} condition and the Event that reports it, its labels, and when a
 * delivery counts as finished or as asking for a replay.
 */
public final class DeliveryStatuses {
  /**
   * An error message (from a library, possibly quoting input) is cut here before it goes into
   * status.
   */
  static final int MAX_MESSAGE = 1024;

  /** In a compacted status: each string of the one attempt record left. */
  static final int COMPACT_TEXT = 256;

  /**
   * The attempt log: the first attempt (how it began) and the newest ones (how it goes). With every
   * string at its bound and the longest names, a delivery is then 8.3 KB beyond its payload at any
   * attempt count ({@code DeliveryFootprintTest}), and the API server's managedFields leave it
   * within 10 KB. Each more record would add up to 0.9 KB.
   */
  static final int LOG_ENTRIES = WebhookDeliveryStatus.MAX_LOG_ENTRIES;

  /** Each record's URL and message, in bytes of JSON; the last error keeps {@link #MAX_MESSAGE}. */
  static final int RECORD_TEXT = 256;

  /** The newest record's response excerpt in bytes of JSON: the whole 500-byte excerpt, mostly. */
  public static final int NEWEST_EXCERPT = 512;

  /** An older record's response excerpt in bytes of JSON: a hint, the newest one tells more. */
  public static final int OLDER_EXCERPT = 128;

  /** The outcome quoted in the Ready condition's message. */
  static final int CONDITION_OUTCOME = 256;

  /** Statuses hold no payload: copying and comparing them through JSON is cheap. */
  private static final KubernetesSerialization JSON = KubeJson.serialization();

  private DeliveryStatuses() {}

  /** Finished: Succeeded, Exhausted or Cancelled; no attempt is made again unless replayed. */
  public static boolean finished(WebhookDelivery d) {
    return d.getStatus() != null
        && d.getStatus().getPhase() != null
        && d.getStatus().getPhase().isFinished();
  }

  /** True when the delivery carries a replay value the operator has not acted on yet. */
  public static boolean replayRequested(WebhookDelivery d) {
    String replay = Annotations.get(d, Herald.ANNOTATION_REPLAY);
    return replay != null
        && !replay.equals(d.getStatus() == null ? null : d.getStatus().getObservedReplay());
  }

  /** A copy to compute the next status on; a delivery not looked at yet starts Pending. */
  static WebhookDeliveryStatus copy(WebhookDeliveryStatus status) {
    WebhookDeliveryStatus copy = status == null ? new WebhookDeliveryStatus() : JSON.clone(status);
    if (copy.getPhase() == null) {
      applyProgress(copy, DeliveryProgress.initial());
    }
    return copy;
  }

  /** Whether writing {@code after} over the delivery's status changes anything. */
  static boolean changed(WebhookDelivery delivery, WebhookDeliveryStatus after) {
    return delivery.getStatus() == null
        || !JSON.asJson(delivery.getStatus()).equals(JSON.asJson(after));
  }

  static boolean sameStatus(WebhookDelivery a, WebhookDelivery b) {
    return Objects.equals(
        a.getStatus() == null ? null : JSON.asJson(a.getStatus()),
        b.getStatus() == null ? null : JSON.asJson(b.getStatus()));
  }

  /** The labels Herald keeps on a delivery with this status: its endpoint and phase. */
  static Map<String, String> labels(WebhookDelivery delivery, WebhookDeliveryStatus status) {
    String endpoint = DeliveryIndex.endpointName(delivery);
    // a reference that is no object name ("other/ep") is no label value either: it would be
    // refused at every try
    return DeliverySpecs.isObjectName(endpoint)
        ? Map.of(
            Herald.LABEL_ENDPOINT,
            LabelValues.orHash(endpoint),
            Herald.LABEL_PHASE,
            status.getPhase().name())
        : Map.of(Herald.LABEL_PHASE, status.getPhase().name());
  }

  static boolean labelsChanged(WebhookDelivery delivery, WebhookDeliveryStatus status) {
    Map<String, String> labels =
        delivery.getMetadata().getLabels() == null ? Map.of() : delivery.getMetadata().getLabels();
    return !labels.entrySet().containsAll(labels(delivery, status).entrySet());
  }

  /** Its Ready condition says it waits for the endpoint's rate limit already. */
  static boolean throttled(WebhookDelivery delivery) {
    return delivery.getStatus() != null
        && Conditions.find(delivery.getStatus().getConditions(), Conditions.READY)
            .map(c -> DeliveryReason.Throttled.name().equals(c.getReason()))
            .orElse(false);
  }

  /** Sets the Ready condition: True only for {@link DeliveryReason#Delivered}. */
  static void setReady(
      WebhookDeliveryStatus status,
      DeliveryReason reason,
      String message,
      Long generation,
      Instant now) {
    status.setConditions(
        Conditions.set(
            status.getConditions(),
            Conditions.READY,
            reason == DeliveryReason.Delivered,
            reason,
            message,
            generation,
            now));
  }

  /**
   * The Event to write with {@code after} over the delivery's status: one when the Ready reason
   * changed, except for Throttled and a first-try success (an Event for each would double the
   * objects etcd stores per delivery; successes after failures or a replay are announced).
   */
  static Optional<Condition> announcement(WebhookDelivery delivery, WebhookDeliveryStatus after) {
    var before = delivery.getStatus();
    if (!Conditions.reasonChanged(
            before == null ? null : before.getConditions(), after.getConditions(), Conditions.READY)
        || deliveredAtFirstTry(after)) {
      return Optional.empty();
    }
    // Throttled is a passing state of many deliveries at once: an Event for each would double the
    // writes that pacing is meant to spare the endpoint's namespace
    return Conditions.find(after.getConditions(), Conditions.READY)
        .filter(c -> !DeliveryReason.Throttled.name().equals(c.getReason()));
  }

  static boolean deliveredAtFirstTry(WebhookDeliveryStatus status) {
    return status.getPhase() == DeliveryPhase.Succeeded
        && Integer.valueOf(1).equals(status.getAttempts())
        && status.getObservedReplay() == null;
  }

  /** How much of an attempt's record a status carries: less when the API server refuses more. */
  enum Size {
    /** Everything, with up to {@link WebhookDeliveryStatus#MAX_LOG_ENTRIES} attempt records. */
    FULL,
    /** The newest attempt record only, shortened ({@link #compact}); the delivery goes on. */
    COMPACT,
    /** No attempt log ({@link #minimal}); the delivery ends and is not sent again. */
    MINIMAL
  }

  /**
   * The status that records a finished attempt, on top of {@code sendStatus} (the status computed
   * when it was sent): the one place a recorded attempt's status is composed.
   *
   * @param after the progress the state machine computed from the attempt's outcome
   * @param refused for a smaller size, why the API server refused the larger one
   */
  static WebhookDeliveryStatus afterAttempt(
      WebhookDeliveryStatus sendStatus,
      DeliveryProgress after,
      AttemptResult result,
      Instant started,
      Instant finished,
      Long generation,
      Size size,
      String refused) {
    if (size == Size.MINIMAL && after.phase() == DeliveryPhase.Failed) {
      // its attempts could never be recorded again, so none is sent again
      after =
          new DeliveryProgress(
              DeliveryPhase.Exhausted, after.attempts(), after.firstAttemptTime(), null, finished);
    }
    WebhookDeliveryStatus status = copy(sendStatus);
    addAttempt(status, after, result, started);
    status.setObservedGeneration(generation);
    String outcome =
        result.succeeded()
            ? "HTTP " + result.statusCode()
            : result.errorClass() + ": " + cut(result.message(), CONDITION_OUTCOME);
    String of = " (attempt " + after.attempts() + " of " + status.getMaxAttempts() + ")";
    String hint = result.succeeded() ? "" : "; hint: " + cut(result.hint(), RECORD_TEXT);
    switch (size) {
      case FULL, COMPACT -> {
        DeliveryReason reason =
            switch (after.phase()) {
              case Succeeded -> DeliveryReason.Delivered;
              case Failed -> DeliveryReason.Retrying;
              default -> DeliveryReason.Exhausted;
            };
        String message =
            switch (after.phase()) {
              case Succeeded -> outcome + of;
              case Failed ->
                  outcome + of + "; next attempt at " + status.getNextAttemptTime() + hint;
              default -> outcome + of + "; no further retry" + hint;
            };
        if (size == Size.COMPACT) {
          compact(status);
          message +=
              "; older attempt records were dropped: the API server refused the full status ("
                  + cut(refused, CONDITION_OUTCOME)
                  + ")";
        }
        setReady(status, reason, message, generation, finished);
        return status;
      }
      default -> {
        WebhookDeliveryStatus least = minimal(status);
        String message =
            "the API server refuses every status that records this delivery's attempts ("
                + cut(refused, CONDITION_OUTCOME)
                + "); its attempt log is dropped and it is not sent again";
        if (after.phase() == DeliveryPhase.Succeeded) {
          setReady(
              least,
              DeliveryReason.Delivered,
              "HTTP " + result.statusCode() + " (attempt " + after.attempts() + "); " + message,
              generation,
              finished);
        } else {
          setReady(least, DeliveryReason.StatusRejected, message, generation, finished);
        }
        return least;
      }
    }
  }

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
        : new ErrorInfo(
            result.errorClass(),
            cut(result.message(), MAX_MESSAGE),
            cut(result.hint(), RECORD_TEXT));
  }

  /** Records one finished attempt: counters, last code and error, and a line in the log. */
  static void addAttempt(
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
    record.setTlsVersion(result.tlsVersion());
    record.setTlsCipher(result.tlsCipher());
    record.setHint(result.hint());
    status.setAttemptLog(appended(status.getAttemptLog(), record));
  }

  /**
   * The log with {@code record} added: the first record and the newest {@link #LOG_ENTRIES} - 1,
   * each string cut to its bound. Older records are cut again on every append, so a log stored by
   * an earlier version (up to 100 records, longer strings) shrinks at its next attempt.
   */
  static List<AttemptRecord> appended(List<AttemptRecord> log, AttemptRecord record) {
    List<AttemptRecord> all = log == null ? new ArrayList<>() : new ArrayList<>(log);
    all.add(record);
    List<AttemptRecord> kept = new ArrayList<>(LOG_ENTRIES);
    if (all.size() > LOG_ENTRIES) {
      kept.add(all.get(0));
      kept.addAll(all.subList(all.size() - (LOG_ENTRIES - 1), all.size()));
    } else {
      kept.addAll(all);
    }
    for (int i = 0; i < kept.size(); i++) {
      AttemptRecord r = kept.get(i);
      r.setUrl(cut(r.getUrl(), RECORD_TEXT));
      r.setMessage(cut(r.getMessage(), RECORD_TEXT));
      boolean newest = i == kept.size() - 1;
      r.setResponseExcerpt(cut(r.getResponseExcerpt(), newest ? NEWEST_EXCERPT : OLDER_EXCERPT));
      // the hint follows from the class (docs/api.md), so older records need not repeat it
      r.setHint(newest ? cut(r.getHint(), RECORD_TEXT) : null);
    }
    return kept;
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
      status.setAttemptLog(new ArrayList<>(List.of(newest)));
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

  /**
   * {@code s} cut to at most {@code maxBytes} bytes of JSON (UTF-8, escapes counted), ending in
   * "..." when cut: bounds in bytes hold whatever characters a receiver or a library sends.
   */
  static String cut(String s, int maxBytes) {
    if (s == null || jsonBytes(s, s.length()) <= maxBytes) {
      return s;
    }
    int budget = maxBytes - 3;
    int used = 0;
    int end = 0;
    while (end < s.length()) {
      int cp = s.codePointAt(end);
      int cost = jsonBytes(cp);
      if (used + cost > budget) {
        break;
      }
      used += cost;
      end += Character.charCount(cp);
    }
    return s.substring(0, end) + "...";
  }

  private static int jsonBytes(String s, int end) {
    int bytes = 0;
    for (int i = 0; i < end; ) {
      int cp = s.codePointAt(i);
      bytes += jsonBytes(cp);
      i += Character.charCount(cp);
    }
    return bytes;
  }

  /**
   * The most one code point takes in JSON: an escape for control characters and lone surrogates.
   */
  private static int jsonBytes(int cp) {
    if (cp < 0x20 || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
      return 6;
    }
    if (cp == '"' || cp == '\\') {
      return 2;
    }
    if (cp < 0x80) {
      return 1;
    }
    if (cp < 0x800) {
      return 2;
    }
    return cp < 0x10000 ? 3 : 4;
  }
}
