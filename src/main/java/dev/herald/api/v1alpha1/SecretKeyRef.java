package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {
  @Required
  @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
  @Pattern(Schemas.OBJECT_NAME)
  @JsonPropertyDescription("Name of a Secret in the same namespace.")
  private String name;

  @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
  @Pattern(Schemas.SECRET_KEY)
  @JsonPropertyDescription("Key within the Secret (default: secret).")
  private String key;

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
