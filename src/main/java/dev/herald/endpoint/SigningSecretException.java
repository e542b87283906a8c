package dev.herald.endpoint;

/** The signing key of an endpoint cannot be read. Messages name Secrets, never their contents. */
public class SigningSecretException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;

  public SigningSecretException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /**
   * A CamelCase condition reason: SecretNotFound (for a user's Secret also: not marked for Herald,
   * told apart from missing by nothing), SecretKeyMissing, SecretInvalid, SecretUnreadable,
   * SecretConflict (a generated name taken by a Secret that is not ours), SecretNotReady.
   */
  public String reason() {
    return reason;
  }
}
