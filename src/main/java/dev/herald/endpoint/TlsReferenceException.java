package dev.herald.endpoint;

import dev.herald.api.v1alpha1.EndpointReason;

/**
 * The TLS material an endpoint names ({@code spec.tls}) cannot be used. An {@link
 * EndpointSecretException} like a signing key's or a credential's: a delivery that cannot be sent
 * for any of them waits in the same way (Pending, its Ready condition saying why, looked at again
 * at the Secret retry pace), so the paths that send catch them in one place.
 */
public class TlsReferenceException extends EndpointSecretException {
  private static final long serialVersionUID = 1L;

  public TlsReferenceException(EndpointReason reason, String message) {
    super(reason, message);
  }
}
