package dev.herald.endpoint;

import dev.herald.api.v1alpha1.EndpointReason;

/**
 * The credentials of an endpoint ({@code spec.auth}, {@code spec.headersFrom}) cannot be read:
 * AuthSecretNotFound (missing or not labelled for Herald, told apart by nothing),
 * AuthSecretKeyMissing, AuthSecretInvalid (a value no header can carry) or SecretUnreadable.
 */
public class CredentialsException extends EndpointSecretException {
  private static final long serialVersionUID = 1L;

  public CredentialsException(EndpointReason reason, String message) {
    super(reason, message);
  }
}
