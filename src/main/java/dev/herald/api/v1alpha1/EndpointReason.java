package dev.herald.api.v1alpha1;

/**
 * The reasons of a WebhookEndpoint's {@code Ready} condition and of the Events written about it.
 * The {@code Secret*} reasons of its signing key are also those of a delivery that cannot be signed
 * ({@link DeliveryReason#ofSecret}).
 */
public enum EndpointReason implements ConditionReason {
  Ready(false, false),
  Paused(false, false),
  AutoPaused(true, false),
  InvalidSpec(true, false),
  SecretNotFound(true, true),
  SecretKeyMissing(true, true),
  SecretInvalid(true, true),
  SecretUnreadable(true, true),
  SecretConflict(true, true),
  SecretNotReady(true, true),
  /** Credentials (spec.auth, spec.headersFrom); SecretUnreadable covers their reads too. */
  AuthSecretNotFound(true, true),
  AuthSecretKeyMissing(true, true),
  AuthSecretInvalid(true, true),
  /** TLS material (spec.tls): a Secret or ConfigMap that is missing, or a Secret not marked. */
  TlsReferenceNotFound(true, true),
  /** TLS material of the wrong type, without its keys, or that does not parse. */
  TlsReferenceInvalid(true, true),
  /** The client certificate is expired or not yet valid. */
  TlsCertificateExpired(true, true),
  /** Events only: */
  SecretRotated(false, false),
  SecretRecreated(true, false),
  Resumed(false, false),
  Failing(true, false),
  Recovered(false, false);

  private final boolean warning;
  private final boolean secret;

  EndpointReason(boolean warning, boolean secret) {
    this.warning = warning;
    this.secret = secret;
  }

  @Override
  public boolean warning() {
    return warning;
  }

  /** A problem with the signing Secret: looked at again at the Secret retry pace. */
  public boolean secret() {
    return secret;
  }
}
