package dev.herald.api.v1alpha1;

/** Where a delivery stands. Terminal phases never send again unless replayed. */
public enum DeliveryPhase {
  Pending,
  Failed,
  Succeeded,
  Exhausted,
  Cancelled;

  public boolean isFinished() {
    return this == Succeeded || this == Exhausted || this == Cancelled;
  }
}
