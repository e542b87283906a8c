package dev.herald.retention;

import dev.herald.api.v1alpha1.ConditionReason;
import dev.herald.kube.EventRecorder;
import dev.herald.metrics.HeraldMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports what retention deleted: a count per namespace, kind and reason ({@code
 * herald_evictions_total}), and a Warning Event when the budget rather than a TTL or keep deleted
 * in a namespace, at most once per {@link #EVENT_INTERVAL} per namespace and kind, so a user learns
 * to size the budget (or a TTL) without an Event per deleted object.
 */
public final class Evictions {
  /** Why an object was deleted: the metric's {@code reason} label. */
  public enum Reason {
    /** Its {@code ttlAfterFinished} ran out. */
    ttl,
    /** Beyond its endpoint's {@code history.keep}. */
    keep,
    /** Beyond the namespace's or cluster's budget of finished objects. */
    budget
  }

  public static final Duration EVENT_INTERVAL = Duration.ofMinutes(5);

  private final HeraldMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;
  private final ConditionReason budgetReason;
  private final String kind;
  private final Map<String, Instant> lastEvent = new ConcurrentHashMap<>();

  /**
   * @param kind the kind the metric and the Event name (WebhookDelivery, WebhookEvent)
   * @param budgetReason the reason of the Event (the kind's {@code BudgetExceeded})
   */
  public Evictions(
      HeraldMetrics metrics,
      EventRecorder events,
      Clock clock,
      String kind,
      ConditionReason budgetReason) {
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
    this.kind = kind;
    this.budgetReason = budgetReason;
  }

  /**
   * One object deleted, for {@code reason}; by the budget, the {@code budget} and {@code scope} it
   * was over (else unused).
   */
  public void deleted(
      HasMetadata object, Reason reason, FinishedBudget budget, FinishedBudget.Scope scope) {
    metrics.evicted(object.getMetadata().getNamespace(), kind, reason.name());
    if (reason == Reason.budget) {
      overBudget(object, budget, scope);
    }
  }

  /**
   * The budget deleted {@code object} before its TTL: an Event on it (it is gone soon, but the
   * Event stays in its namespace for {@code kubectl get events}), unless one was written in the
   * namespace within {@link #EVENT_INTERVAL}.
   */
  private void overBudget(HasMetadata object, FinishedBudget budget, FinishedBudget.Scope scope) {
    String namespace = object.getMetadata().getNamespace();
    Instant now = clock.instant();
    Instant previous = lastEvent.get(namespace);
    if (previous != null && now.isBefore(previous.plus(EVENT_INTERVAL))) {
      return;
    }
    lastEvent.put(namespace, now);
    events.emit(object, budgetReason, message(kind, budget, scope));
  }

  static String message(String kind, FinishedBudget budget, FinishedBudget.Scope scope) {
    String over =
        scope == FinishedBudget.Scope.NAMESPACE
            ? "this namespace holds more than "
                + budget.perNamespace()
                + " finished "
                + kind
                + " objects (--finished-per-namespace)"
            : "the cluster holds more than "
                + budget.perCluster()
                + " finished "
                + kind
                + " objects (--finished-per-cluster)";
    return "finished "
        + kind
        + " objects are deleted before their ttlAfterFinished: "
        + over
        + "; succeeded ones go first, oldest first. Lower the TTL or history.keep, or ask the"
        + " operator's administrator for a larger budget (at most one such Event per namespace"
        + " every "
        + EVENT_INTERVAL.toMinutes()
        + " minutes)";
  }
}
