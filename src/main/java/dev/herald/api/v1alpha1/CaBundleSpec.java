package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * PEM CA certificates from a ConfigMap (no marking needed: a CA certificate is no secret) or from a
 * Secret (only one labelled for Herald), exactly one of the two.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CaBundleSpec {
  public static final String DEFAULT_KEY = "ca.crt";

  @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
  @Pattern(Schemas.OBJECT_NAME)
  @JsonPropertyDescription("A ConfigMap in the same namespace holding the PEM bundle.")
  private String configMapName;

  @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
  @Pattern(Schemas.OBJECT_NAME)
  @JsonPropertyDescription(
      "A Secret in the same namespace, labelled herald.dev/usable=true, holding the PEM bundle.")
  private String secretName;

  @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
  @Pattern(Schemas.SECRET_KEY)
  @JsonPropertyDescription("The key holding the PEM bundle (default ca.crt).")
  private String key;

  @JsonPropertyDescription(
      "Whether the system's CAs are trusted too (default true); false trusts only this bundle.")
  private Boolean includeSystemCAs;

  public String getConfigMapName() {
    return configMapName;
  }

  public void setConfigMapName(String configMapName) {
    this.configMapName = configMapName;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public Boolean getIncludeSystemCAs() {
    return includeSystemCAs;
  }

  public void setIncludeSystemCAs(Boolean includeSystemCAs) {
    this.includeSystemCAs = includeSystemCAs;
  }
}
