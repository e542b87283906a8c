package dev.herald.api.v1alpha1;

/**
 * The reasons of a WebhookDigest's {@code Ready} condition. A run that sent or found nothing to
 * report is Normal; everything else keeps the digest from telling anyone and is a Warning.
 */
public enum DigestReason implements ConditionReason {
  /** The report went out on every channel. */
  Sent(false),
  /** No failing endpoint and no unprocessed delivery: nothing was sent. */
  NothingToReport(false),
  /** Neither {@code spec.email} nor {@code spec.webhook} is set. */
  NoChannel(true),
  /** {@code spec.interval} does not parse or is under the operator's floor. */
  InvalidInterval(true),
  /** The SMTP Secret is not named, does not exist or is not marked for Herald (not told apart). */
  SmtpSecretMissing(true),
  /** The API server refused or failed the read of the SMTP Secret. */
  SmtpSecretUnreadable(true),
  /** The SMTP Secret lacks host or port, or a value does not parse. */
  SmtpSecretInvalid(true),
  /** The {@code spec.webhook.secretRef} Secret is not named, missing or not marked for Herald. */
  SigningSecretMissing(true),
  /** The signing Secret has no such key, or its value is not a {@code whsec_} secret. */
  SigningSecretInvalid(true),
  /** A Secret of the generated name exists that Herald did not make for this digest. */
  SigningSecretConflict(true),
  /** A channel failed to deliver the report (SMTP, the receiver, the egress policy). */
  SendFailed(true);

  private final boolean warning;

  DigestReason(boolean warning) {
    this.warning = warning;
  }

  @Override
  public boolean warning() {
    return warning;
  }
}
