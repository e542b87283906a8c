package dev.herald.digest;

import dev.herald.api.v1alpha1.DigestReason;

/**
 * A digest that cannot be sent as configured, or a send that failed. The message names Secrets and
 * their keys, never a value read from one.
 */
final class DigestException extends Exception {
  private static final long serialVersionUID = 1L;
  private final DigestReason reason;

  DigestException(DigestReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  DigestReason reason() {
    return reason;
  }
}
