package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A request header whose value is read from a Secret on each attempt. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HeaderFromSecret {
  /** An HTTP token (RFC 9110 section 5.6.2), as {@code HeaderRules} checks it. */
  public static final String HEADER_NAME = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

  public static final int NAME_MAX_LENGTH = 256;

  @Required
  @Size(min = 1, max = NAME_MAX_LENGTH)
  @Pattern(HEADER_NAME)
  @JsonPropertyDescription(
      "Header name; the signature and webhook-* headers (and Authorization while spec.auth is"
          + " set) cannot be set.")
  private String name;

  @Required
  @JsonPropertyDescription(
      "The Secret key holding the value (printable ASCII, at most 4096 characters).")
  private SecretValueRef secretRef;

  public HeaderFromSecret() {}

  public HeaderFromSecret(String name, SecretValueRef secretRef) {
    this.name = name;
    this.secretRef = secretRef;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public SecretValueRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretValueRef secretRef) {
    this.secretRef = secretRef;
  }
}
