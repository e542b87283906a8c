package dev.herald.endpoint;

import dev.herald.api.v1alpha1.EndpointReason;

/**
 * A Secret an endpoint's requests need (its signing key, its credentials) cannot be used: the
 * request is not sent, and the reason (one of the {@code Secret*} kind, looked at again at the
 * Secret retry pace) goes to the endpoint's and the delivery's {@code Ready} condition. Messages
 * name Secrets and keys, never what they hold.
 */
public class EndpointSecretException extends Exception {
  private static final long serialVersionUID = 1L;
  private final EndpointReason reason;

  public EndpointSecretException(EndpointReason reason, String message) {
    super(message);
    if (!reason.secret()) {
      throw new IllegalArgumentException(reason + " is no Secret reason");
    }
    this.reason = reason;
  }

  public EndpointReason reason() {
    return reason;
  }
}
