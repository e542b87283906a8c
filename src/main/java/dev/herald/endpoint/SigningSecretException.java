package dev.herald.endpoint;

import dev.herald.api.v1alpha1.EndpointReason;

/** The signing key of an endpoint cannot be read. Messages name Secrets, never their contents. */
public class SigningSecretException extends EndpointSecretException {
  private static final long serialVersionUID = 1L;

  public SigningSecretException(EndpointReason reason, String message) {
    super(reason, message);
  }

  /**
   * One of the {@code Secret*} reasons: SecretNotFound (for a user's Secret also: not marked for
   * Herald, told apart from missing by nothing), SecretKeyMissing, SecretInvalid, SecretUnreadable,
   * SecretConflict (a generated name taken by a Secret that is not ours), SecretNotReady.
   */
  @Override
  public EndpointReason reason() {
    return super.reason();
  }
}
