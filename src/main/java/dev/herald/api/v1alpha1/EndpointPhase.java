package dev.herald.api.v1alpha1;

/** Health of an endpoint as seen from its most recent attempts. */
public enum EndpointPhase {
  Active,
  Failing,
  Paused;

  /** One rule for every writer of endpoint status, so they never disagree. */
  public static EndpointPhase of(boolean paused, long consecutiveFailures) {
    if (paused) {
      return Paused;
    }
    return consecutiveFailures > 0 ? Failing : Active;
  }
}
