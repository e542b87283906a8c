package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One value of a Secret a credential is taken from. Unlike {@link SecretKeyRef} the key is
 * required: a credential has no natural default key, and a guessed one would only hide a typo.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretValueRef {
  @Required
  @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
  @Pattern(Schemas.OBJECT_NAME)
  @JsonPropertyDescription(
      "Name of a Secret in the same namespace, labelled herald.dev/usable=true.")
  private String name;

  @Required
  @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
  @Pattern(Schemas.SECRET_KEY)
  @JsonPropertyDescription("Key within the Secret.")
  private String key;

  public SecretValueRef() {}

  public SecretValueRef(String name, String key) {
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
