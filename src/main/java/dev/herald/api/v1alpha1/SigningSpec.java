package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SigningSpec {
  public static final String DEFAULT_ROTATION_OVERLAP = "24h";

  @JsonPropertyDescription(
      "Secret holding a whsec_ signing secret, labelled herald.dev/usable=true; absent means the operator"
          + " generates one.")
  private SecretKeyRef secretRef;

  @Pattern(Schemas.DURATION)
  @Size(max = Schemas.DURATION_MAX_LENGTH)
  @JsonPropertyDescription(
      "After a rotation, sign with the old and the new key this long (default 24h).")
  private String rotationOverlap;

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
