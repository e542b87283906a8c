package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookEndpointStatus {
  @JsonPropertyDescription("Active, Failing (the last attempt failed) or Paused.")
  private EndpointPhase phase;

  @JsonPropertyDescription(
      "The Secret Herald generated that holds the current signing key; absent while spec.signing.secretRef is set"
          + " (a user's Secret is never named here, retired or deleted).")
  private String signingSecretName;

  @JsonPropertyDescription(
      "Generated Secrets replaced by a rotation that still sign during the overlap.")
  private List<RetiredSecret> retiredSecrets;

  // --- ed25519 (Standard Webhooks v1a) ---
  @JsonPropertyDescription(
      "The algorithm of the key in signingSecretName when it is not hmac-sha256 (absent:"
          + " hmac-sha256).")
  private SigningAlgorithm signingAlgorithm;

  @JsonPropertyDescription(
      "The public whpk_ key (base64 of the 32-byte ed25519 public key) receivers verify v1a"
          + " signatures with, while the endpoint signs with a generated ed25519 key; retired keys"
          + " still signing are in retiredSecrets[].publicKey.")
  private String signingPublicKey;

  public SigningAlgorithm getSigningAlgorithm() {
    return signingAlgorithm;
  }

  public void setSigningAlgorithm(SigningAlgorithm signingAlgorithm) {
    this.signingAlgorithm = signingAlgorithm;
  }

  public String getSigningPublicKey() {
    return signingPublicKey;
  }

  public void setSigningPublicKey(String signingPublicKey) {
    this.signingPublicKey = signingPublicKey;
  }

  // --- end ed25519 ---

  @JsonPropertyDescription("The herald.dev/rotate-secret annotation value already acted on.")
  private String observedRotation;

  private Long consecutiveFailures;

  @JsonPropertyDescription(
      "When the current run of failures began; absent while the endpoint succeeds.")
  private String failingSince;

  @JsonPropertyDescription("Deliveries that ran out of retries since the last success.")
  private Long exhaustedSinceSuccess;

  @JsonPropertyDescription(
      "Set when spec.failurePolicy paused the endpoint; annotate herald.dev/resume to resume.")
  private AutoPause autoPaused;

  @JsonPropertyDescription("The herald.dev/resume annotation value already acted on.")
  private String observedResume;

  private String lastSuccessTime;
  private String lastFailureTime;
  private ErrorInfo lastError;

  @JsonPropertyDescription(
      "The endpoint's most recent attempts, newest first, at most 20: from deliveries and from"
          + " first attempts sent straight from events (which leave no delivery when they succeed)."
          + " Written with the health at most every second after a failure, every 5 seconds"
          + " otherwise.")
  private List<RecentAttempt> recentAttempts;

  private Long observedGeneration;
  private List<Condition> conditions;

  public EndpointPhase getPhase() {
    return phase;
  }

  public void setPhase(EndpointPhase phase) {
    this.phase = phase;
  }

  public String getSigningSecretName() {
    return signingSecretName;
  }

  public void setSigningSecretName(String signingSecretName) {
    this.signingSecretName = signingSecretName;
  }

  public List<RetiredSecret> getRetiredSecrets() {
    return retiredSecrets;
  }

  public void setRetiredSecrets(List<RetiredSecret> retiredSecrets) {
    this.retiredSecrets = retiredSecrets;
  }

  public String getObservedRotation() {
    return observedRotation;
  }

  public void setObservedRotation(String observedRotation) {
    this.observedRotation = observedRotation;
  }

  public Long getConsecutiveFailures() {
    return consecutiveFailures;
  }

  public void setConsecutiveFailures(Long consecutiveFailures) {
    this.consecutiveFailures = consecutiveFailures;
  }

  public String getFailingSince() {
    return failingSince;
  }

  public void setFailingSince(String failingSince) {
    this.failingSince = failingSince;
  }

  public Long getExhaustedSinceSuccess() {
    return exhaustedSinceSuccess;
  }

  public void setExhaustedSinceSuccess(Long exhaustedSinceSuccess) {
    this.exhaustedSinceSuccess = exhaustedSinceSuccess;
  }

  public AutoPause getAutoPaused() {
    return autoPaused;
  }

  public void setAutoPaused(AutoPause autoPaused) {
    this.autoPaused = autoPaused;
  }

  public String getObservedResume() {
    return observedResume;
  }

  public void setObservedResume(String observedResume) {
    this.observedResume = observedResume;
  }

  public String getLastSuccessTime() {
    return lastSuccessTime;
  }

  public void setLastSuccessTime(String lastSuccessTime) {
    this.lastSuccessTime = lastSuccessTime;
  }

  public String getLastFailureTime() {
    return lastFailureTime;
  }

  public void setLastFailureTime(String lastFailureTime) {
    this.lastFailureTime = lastFailureTime;
  }

  public ErrorInfo getLastError() {
    return lastError;
  }

  public void setLastError(ErrorInfo lastError) {
    this.lastError = lastError;
  }

  public List<RecentAttempt> getRecentAttempts() {
    return recentAttempts;
  }

  public void setRecentAttempts(List<RecentAttempt> recentAttempts) {
    this.recentAttempts = recentAttempts;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
