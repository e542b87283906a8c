package dev.herald.endpoint;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.EndpointReason;
import dev.herald.api.v1alpha1.RetiredSecret;
import dev.herald.api.v1alpha1.SecretKeyRef;
import dev.herald.api.v1alpha1.SigningAlgorithm;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import dev.herald.kube.Annotations;
import dev.herald.kube.Conditions;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.Fresh;
import dev.herald.kube.SpecOrAnnotationsChanged;
import dev.herald.kube.Times;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps an endpoint's signing Secret and status current: generates the Secret, rotates it on the
 * {@code herald.dev/rotate-secret} annotation, deletes retired keys after their overlap and, on
 * deletion, every Secret it generated. Deliveries notice the deletion themselves and cancel.
 */
@ControllerConfiguration(
    name = "webhookendpoint",
    finalizerName = Herald.FINALIZER,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = SpecOrAnnotationsChanged.class))
public class WebhookEndpointReconciler
    implements Reconciler<WebhookEndpoint>, Cleaner<WebhookEndpoint> {

  private final GeneratedSigningSecrets secrets;
  private final SigningKeys keys;
  private final EndpointCredentials credentials;
  private final EndpointTls tls;
  private final EventRecorder events;
  private final Clock clock;

  /** How soon a missing or invalid user Secret is looked at again (Secrets are not watched). */
  private final Duration secretRetry;

  public WebhookEndpointReconciler(
      GeneratedSigningSecrets secrets,
      SigningKeys keys,
      EndpointCredentials credentials,
      EventRecorder events,
      Clock clock,
      Duration secretRetry,
      EndpointTls tls) {
    this.tls = tls;
    this.secretRetry = secretRetry;
    this.secrets = secrets;
    this.keys = keys;
    this.credentials = credentials;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Works on a fresh copy and writes status under optimistic locking: deliveries record health
   * (failures, last success) on the same status, and a write from a stale copy would undo theirs. A
   * conflict throws, and JOSDK retries; everything done before the write is idempotent.
   */
  @Override
  public UpdateControl<WebhookEndpoint> reconcile(
      WebhookEndpoint cached, Context<WebhookEndpoint> context) {
    WebhookEndpoint endpoint = Fresh.read(context.getClient(), cached);
    if (endpoint == null) {
      return UpdateControl.noUpdate();
    }
    Instant now = clock.instant();
    var serialization = context.getClient().getKubernetesSerialization();
    WebhookEndpointStatus before = endpoint.getStatus();
    WebhookEndpointStatus status =
        before == null ? new WebhookEndpointStatus() : serialization.clone(before);
    Long generation = endpoint.getMetadata().getGeneration();

    Optional<EndpointReason> problemReason = Optional.empty();
    String message = "ready to receive deliveries";
    Duration overlap = null;
    try {
      overlap = EndpointSettings.of(endpoint.getSpec()).rotationOverlap();
    } catch (InvalidEndpointException e) {
      problemReason = Optional.of(EndpointReason.InvalidSpec);
      message = e.getMessage();
    }

    if (problemReason.isEmpty()) {
      try {
        // the first of the signing key, the TLS material and the credentials that cannot be used
        manageSecrets(endpoint, status, overlap, now);
        tls.check(endpoint);
        credentials.check(endpoint);
      } catch (EndpointSecretException e) {
        problemReason = Optional.of(e.reason());
        message = e.getMessage();
      }
    }

    resumeIfAsked(endpoint, status);
    boolean paused = endpoint.getSpec() != null && endpoint.getSpec().isPaused();
    long failures = status.getConsecutiveFailures() == null ? 0 : status.getConsecutiveFailures();
    status.setPhase(EndpointPhase.of(paused || status.getAutoPaused() != null, failures));
    if (problemReason.isEmpty() && paused) {
      problemReason = Optional.of(EndpointReason.Paused);
      message = "spec.paused is true: deliveries wait as Pending";
    } else if (problemReason.isEmpty() && status.getAutoPaused() != null) {
      problemReason = Optional.of(EndpointReason.AutoPaused);
      message =
          status.getAutoPaused().getMessage()
              + "; deliveries wait as Pending until annotated "
              + Herald.ANNOTATION_RESUME
              + "=<new value>";
    }
    status.setConditions(
        Conditions.set(
            status.getConditions(),
            Conditions.READY,
            problemReason.isEmpty(),
            problemReason.orElse(EndpointReason.Ready),
            message,
            generation,
            now));
    status.setObservedGeneration(generation);

    // a pause is no problem to warn about here: EndpointHealth announces an automatic one itself,
    // with how to resume
    if (problemReason.isPresent()
        && problemReason.get().warning()
        && problemReason.get() != EndpointReason.AutoPaused
        && Conditions.reasonChanged(
            before == null ? null : before.getConditions(),
            status.getConditions(),
            Conditions.READY)) {
      events.emit(endpoint, problemReason.get(), message);
    }

    if (!serialization
        .asJson(status)
        .equals(before == null ? null : serialization.asJson(before))) {
      endpoint.setStatus(status);
      context
          .getClient()
          .resources(WebhookEndpoint.class)
          .inNamespace(endpoint.getMetadata().getNamespace())
          .resource(endpoint)
          .updateStatus();
    }
    UpdateControl<WebhookEndpoint> control = UpdateControl.noUpdate();
    Optional<Duration> recheck =
        problemReason
            .filter(EndpointReason::secret)
            .map(r -> secretRetry)
            .or(() -> nextRetirement(status, now));
    recheck.ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * Status names only Secrets Herald generated ({@code signingSecretName}, {@code retiredSecrets});
   * a user's {@code secretRef} is read where it is, never recorded, retired or deleted. Switching
   * to a {@code secretRef} ends the generated keys at once (their Secrets are deleted); switching
   * back generates a fresh key. Each deletion checks the Secret's uid label, whatever status says.
   */
  private void manageSecrets(
      WebhookEndpoint endpoint, WebhookEndpointStatus status, Duration overlap, Instant now)
      throws SigningSecretException {
    String rotation = Annotations.get(endpoint, Herald.ANNOTATION_ROTATE_SECRET);
    List<RetiredSecret> retired =
        status.getRetiredSecrets() == null
            ? new ArrayList<>()
            : new ArrayList<>(status.getRetiredSecrets());

    SecretKeyRef userRef = SigningKeys.userRef(endpoint);
    if (userRef != null) {
      if (status.getSigningSecretName() != null || !retired.isEmpty()) {
        secrets.deleteAllGenerated(endpoint);
        status.setSigningSecretName(null);
        status.setRetiredSecrets(null);
        setGeneratedKey(status, SigningAlgorithm.HMAC_SHA256, null);
      }
      keys.checkUserSecret(endpoint, userRef);
      return;
    }

    // Retired keys past their overlap go first, so that a conflict below cannot keep them signing.
    List<RetiredSecret> stillSigning = new ArrayList<>();
    for (RetiredSecret r : retired) {
      Instant expiry = Times.parse(r.getExpiryTime());
      if (expiry == null || !expiry.isAfter(now)) {
        secrets.deleteIfGenerated(endpoint, r.getName());
      } else {
        stillSigning.add(r);
      }
    }
    status.setRetiredSecrets(stillSigning.isEmpty() ? null : stillSigning);

    String current = status.getSigningSecretName();
    boolean rotate = rotation != null && !rotation.equals(status.getObservedRotation());
    // a generated key of the other algorithm is rotated out like any key: both sign in the overlap
    SigningAlgorithm wanted = SigningKeys.algorithm(endpoint);
    boolean switchAlgorithm =
        current != null && wanted != SigningAlgorithm.orDefault(status.getSigningAlgorithm());
    if (current == null || rotate || switchAlgorithm) {
      String fresh =
          GeneratedSigningSecrets.generatedName(
              endpoint, rotation, wanted, switchAlgorithm ? current : null);
      GeneratedSigningSecrets.Ensured made = secrets.ensureGenerated(endpoint, fresh, wanted);
      if (made.state() == GeneratedSigningSecrets.Generated.FOREIGN) {
        // Someone else's Secret has the name: the current key (if any) keeps signing, the rotation
        // stays pending.
        throw new SigningSecretException(
            EndpointReason.SecretConflict, GeneratedSigningSecrets.conflictMessage(fresh));
      }
      if (current != null
          && !current.equals(fresh)
          && stillSigning.stream().noneMatch(r -> r.getName().equals(current))
          && secrets.isGenerated(endpoint, current)) {
        String expiry = Times.format(now.plus(overlap));
        stillSigning.add(new RetiredSecret(current, expiry, status.getSigningPublicKey()));
        status.setRetiredSecrets(stillSigning);
        events.emit(
            endpoint,
            EndpointReason.SecretRotated,
            "signing key rotated to Secret "
                + fresh
                + rotatedInto(switchAlgorithm, wanted)
                + "; the previous key (Secret "
                + current
                + ") also signs until "
                + expiry);
      } else if (current != null && !current.equals(fresh)) {
        events.emit(
            endpoint,
            EndpointReason.SecretRotated,
            "signing key rotated to Secret " + fresh + rotatedInto(switchAlgorithm, wanted));
      }
      status.setSigningSecretName(fresh);
      setGeneratedKey(status, wanted, made.publicKey());
      status.setObservedRotation(rotation);
      return;
    }
    GeneratedSigningSecrets.Ensured found = secrets.ensureGenerated(endpoint, current, wanted);
    switch (found.state()) {
      case CREATED ->
          events.emit(
              endpoint,
              EndpointReason.SecretRecreated,
              "generated signing Secret "
                  + current
                  + " was missing and has been re-created with a new key");
      case FOREIGN ->
          throw new SigningSecretException(
              EndpointReason.SecretConflict, GeneratedSigningSecrets.conflictMessage(current));
      case EXISTS -> {}
    }
    setGeneratedKey(status, wanted, found.publicKey());
  }

  /** The algorithm (absent for the default) and public key of the current generated key. */
  private static void setGeneratedKey(
      WebhookEndpointStatus status, SigningAlgorithm algorithm, String publicKey) {
    status.setSigningAlgorithm(algorithm == SigningAlgorithm.HMAC_SHA256 ? null : algorithm);
    status.setSigningPublicKey(publicKey);
  }

  private static String rotatedInto(boolean switchAlgorithm, SigningAlgorithm algorithm) {
    return switchAlgorithm ? " (" + algorithm.specName() + ", as spec.signing.algorithm asks)" : "";
  }

  /**
   * A new herald.dev/resume value lifts a pause of the failure policy and starts its counts afresh.
   */
  private void resumeIfAsked(WebhookEndpoint endpoint, WebhookEndpointStatus status) {
    String resume = Annotations.get(endpoint, Herald.ANNOTATION_RESUME);
    if (resume == null || resume.equals(status.getObservedResume())) {
      return;
    }
    status.setObservedResume(resume);
    if (status.getAutoPaused() != null) {
      status.setAutoPaused(null);
      status.setFailingSince(null);
      status.setExhaustedSinceSuccess(null);
      events.emit(
          endpoint,
          EndpointReason.Resumed,
          "resumed by " + Herald.ANNOTATION_RESUME + "; held deliveries go out again");
    }
  }

  private static Optional<Duration> nextRetirement(WebhookEndpointStatus status, Instant now) {
    if (status.getRetiredSecrets() == null) {
      return Optional.empty();
    }
    return status.getRetiredSecrets().stream()
        .map(r -> Times.parse(r.getExpiryTime()))
        .filter(Objects::nonNull)
        .min(Instant::compareTo)
        .map(expiry -> Duration.between(now, expiry).plusMillis(50))
        .map(d -> d.isNegative() ? Duration.ofMillis(50) : d);
  }

  @Override
  public DeleteControl cleanup(WebhookEndpoint endpoint, Context<WebhookEndpoint> context) {
    secrets.deleteAllGenerated(endpoint);
    return DeleteControl.defaultDelete();
  }
}
