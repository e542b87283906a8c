package dev.herald.digest;

import dev.herald.api.v1alpha1.DigestReason;
import dev.herald.api.v1alpha1.WebhookDigestStatus;
import dev.herald.kube.Conditions;
import dev.herald.kube.Times;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The one home of a digest's status wording: what each outcome of a run writes. */
final class DigestStatuses {
  /** {@code status.lastResult.result} values. */
  static final String SENT = "Sent";

  static final String NOTHING = "NothingToReport";
  static final String FAILED = "Failed";

  private DigestStatuses() {}

  /** A copy to build the next status on, the conditions list included. */
  static WebhookDigestStatus copy(WebhookDigestStatus s) {
    WebhookDigestStatus c = new WebhookDigestStatus();
    if (s == null) {
      return c;
    }
    c.setLastSentTime(s.getLastSentTime());
    c.setNextTime(s.getNextTime());
    c.setLastResult(s.getLastResult());
    c.setSigningSecretName(s.getSigningSecretName());
    c.setObservedGeneration(s.getObservedGeneration());
    List<Condition> conditions = s.getConditions();
    c.setConditions(conditions == null ? null : new ArrayList<>(conditions));
    return c;
  }

  /** The run found no failing endpoint and no unprocessed delivery. */
  static void nothingToReport(WebhookDigestStatus status, Long generation, Instant now) {
    status.setLastResult(
        new WebhookDigestStatus.LastResult(
            NOTHING, "no failing endpoint, no unprocessed delivery", Times.format(now)));
    ready(
        status,
        true,
        DigestReason.NothingToReport,
        "nothing to report at " + Times.format(now),
        generation,
        now);
  }

  /** The report, summed up as {@code what}, went out on every channel at {@code at}. */
  static void sent(WebhookDigestStatus status, String what, Long generation, Instant at) {
    status.setLastSentTime(Times.format(at));
    status.setLastResult(new WebhookDigestStatus.LastResult(SENT, what, Times.format(at)));
    ready(status, true, DigestReason.Sent, "sent " + what, generation, at);
  }

  /** The run failed: reported, and tried again at the retry time the caller sets. */
  static void failed(
      WebhookDigestStatus status,
      DigestReason reason,
      String message,
      Long generation,
      Instant now) {
    status.setLastResult(new WebhookDigestStatus.LastResult(FAILED, message, Times.format(now)));
    ready(status, false, reason, message, generation, now);
  }

  /** The spec cannot run: no next time until it changes. */
  static void invalid(
      WebhookDigestStatus status,
      DigestReason reason,
      String message,
      Long generation,
      Instant now) {
    status.setObservedGeneration(generation);
    status.setNextTime(null);
    ready(status, false, reason, message, generation, now);
  }

  /** How a report is summed up in status. */
  static String summary(DigestReport report) {
    return report.failingEndpoints().size()
        + " failing endpoint(s), "
        + report.unprocessedTotal()
        + " unprocessed deliveries";
  }

  private static void ready(
      WebhookDigestStatus status,
      boolean ready,
      DigestReason reason,
      String message,
      Long generation,
      Instant now) {
    status.setConditions(
        Conditions.set(
            status.getConditions(), Conditions.READY, ready, reason, message, generation, now));
  }
}
