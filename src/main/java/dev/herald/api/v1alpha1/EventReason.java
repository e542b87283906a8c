package dev.herald.api.v1alpha1;

/** The reasons of a WebhookEvent's {@code Ready} condition and of the Events written about it. */
public enum EventReason implements ConditionReason {
  Published(false),
  NoSubscribers(false),
  Conflict(true),
  /** An Event only: the budget of finished objects deleted some before their TTL. */
  BudgetExceeded(true),
  /** An Event only: spec.traceContext is not valid and is not sent; the event goes on. */
  InvalidTraceContext(true);

  private final boolean warning;

  EventReason(boolean warning) {
    this.warning = warning;
  }

  @Override
  public boolean warning() {
    return warning;
  }
}
