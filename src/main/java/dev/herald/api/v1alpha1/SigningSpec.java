package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SigningSpec {
  public static final String DEFAULT_ROTATION_OVERLAP = "24h";

  @JsonPropertyDescription(
      "Secret holding a whsec_ signing secret (a whsk_ secret key for ed25519), labelled herald.dev/usable=true; absent means the operator"
          + " generates one.")
  private SecretKeyRef secretRef;

  @Pattern(Schemas.DURATION)
  @Size(max = Schemas.DURATION_MAX_LENGTH)
  @JsonPropertyDescription(
      "After a rotation, sign with the old and the new key this long (default 24h).")
  private String rotationOverlap;

  // --- ed25519 (Standard Webhooks v1a) ---
  @JsonPropertyDescription(
      "hmac-sha256 (default: v1 signatures with a shared whsec_ secret) or ed25519 (v1a signatures;"
          + " receivers verify with the public whpk_ key in status.signingPublicKey). With"
          + " secretRef, the Secret's key must match: whsec_ for hmac-sha256, a whsk_ secret key for"
          + " ed25519. Changing it on an endpoint with a generated key is a rotation into the new"
          + " algorithm: both keys sign during rotationOverlap.")
  private SigningAlgorithm algorithm;

  public SigningAlgorithm getAlgorithm() {
    return algorithm;
  }

  public void setAlgorithm(SigningAlgorithm algorithm) {
    this.algorithm = algorithm;
  }

  // --- end ed25519 ---

  public SecretKeyRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeyRef secretRef) {
    this.secretRef = secretRef;
  }

  public String getRotationOverlap() {
    return rotationOverlap;
  }

  public void setRotationOverlap(String rotationOverlap) {
    this.rotationOverlap = rotationOverlap;
  }
}
