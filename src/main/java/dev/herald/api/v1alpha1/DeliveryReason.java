package dev.herald.api.v1alpha1;

/**
 * The reasons of a WebhookDelivery's {@code Ready} condition and of the Events that report them.
 */
public enum DeliveryReason implements ConditionReason {
  Delivered(false),
  Retrying(true),
  Exhausted(true),
  Cancelled(false),
  Replayed(false),
  ReplayIgnored(true),
  EndpointNotFound(true),
  EndpointPaused(false),
  InvalidEndpoint(true),
  InvalidSpec(true),
  EventTypeNotSubscribed(true),
  WaitingForEarlier(true),
  /**
   * Due, and waiting its turn under the endpoint's spec.rateLimit: written once when a wait of a
   * second or more begins, with no Event (the endpoint's metrics count them).
   */
  Throttled(false),
  StatusRejected(true),
  SecretNotFound(true),
  SecretKeyMissing(true),
  SecretInvalid(true),
  SecretUnreadable(true),
  SecretConflict(true),
  SecretNotReady(true),
  /** The endpoint's credentials (spec.auth, spec.headersFrom) cannot be read: not sent. */
  AuthSecretNotFound(true),
  AuthSecretKeyMissing(true),
  AuthSecretInvalid(true),
  TlsReferenceNotFound(true),
  TlsReferenceInvalid(true),
  TlsCertificateExpired(true),
  /** An Event only: the budget of finished objects deleted some before their TTL. */
  BudgetExceeded(true),
  /** An Event only: spec.traceContext is not valid and is not sent; the delivery goes on. */
  InvalidTraceContext(true);

  private final boolean warning;

  DeliveryReason(boolean warning) {
    this.warning = warning;
  }

  @Override
  public boolean warning() {
    return warning;
  }

  /** The endpoint's signing-Secret problem, as the reason of a delivery that cannot be signed. */
  public static DeliveryReason ofSecret(EndpointReason reason) {
    return switch (reason) {
      case SecretNotFound -> SecretNotFound;
      case SecretKeyMissing -> SecretKeyMissing;
      case SecretInvalid -> SecretInvalid;
      case SecretUnreadable -> SecretUnreadable;
      case SecretConflict -> SecretConflict;
      case SecretNotReady -> SecretNotReady;
      case AuthSecretNotFound -> AuthSecretNotFound;
      case AuthSecretKeyMissing -> AuthSecretKeyMissing;
      case AuthSecretInvalid -> AuthSecretInvalid;
      case TlsReferenceNotFound -> TlsReferenceNotFound;
      case TlsReferenceInvalid -> TlsReferenceInvalid;
      case TlsCertificateExpired -> TlsCertificateExpired;
      default -> throw new IllegalArgumentException(reason + " is no signing-Secret reason");
    };
  }

  /** The reason as written in a condition; null for one this version does not know. */
  public static DeliveryReason parse(String reason) {
    for (DeliveryReason r : values()) {
      if (r.name().equals(reason)) {
        return r;
      }
    }
    return null;
  }
}
