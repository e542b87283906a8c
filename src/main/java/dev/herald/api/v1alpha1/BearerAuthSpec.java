package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BearerAuthSpec {
  @Required
  @JsonPropertyDescription(
      "The Secret key holding the token; sent as Authorization: Bearer <token>.")
  private SecretValueRef secretRef;

  public SecretValueRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretValueRef secretRef) {
    this.secretRef = secretRef;
  }
}
