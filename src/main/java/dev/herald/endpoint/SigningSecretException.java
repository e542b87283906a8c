package dev.herald.endpoint;

import dev.herald.api.v1alpha1.EndpointReason;

/** The signing key of an endpoint cannot be read. Messages name Secrets, never their contents. */
public class SigningSecretException extends Exception {
  private static final long serialVersionUID = 1L;
  private final EndpointReason reason;

  public SigningSecretException(EndpointReason reason, String message) {
    super(message);
    if (!reason.secret()) {
      throw new IllegalArgumentException(reason + " is no signing-Secret reason");
    }
    this.reason = reason;
  }

  /**
   * One of the {@code Secret*} reasons: SecretNotFound (for a user's Secret also: not marked for
   * Herald, told apart from missing by nothing), SecretKeyMissing, SecretInvalid, SecretUnreadable,
   * SecretConflict (a generated name taken by a Secret that is not ours), SecretNotReady.
   */
  public EndpointReason reason() {
    return reason;
  }
}
