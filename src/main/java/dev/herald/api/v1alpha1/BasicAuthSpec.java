package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BasicAuthSpec {
  public static final String DEFAULT_USERNAME_KEY = "username";
  public static final String DEFAULT_PASSWORD_KEY = "password";

  @Required
  @JsonPropertyDescription(
      "The Secret holding the user name and password (the keys of a kubernetes.io/basic-auth"
          + " Secret by default); sent as Authorization: Basic.")
  private SecretRef secretRef;

  public SecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretRef secretRef) {
    this.secretRef = secretRef;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecretRef {
    @Required
    @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
    @Pattern(Schemas.OBJECT_NAME)
    @JsonPropertyDescription(
        "Name of a Secret in the same namespace, labelled herald.dev/usable=true.")
    private String name;

    @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
    @Pattern(Schemas.SECRET_KEY)
    @JsonPropertyDescription("Key of the user name (default: username).")
    private String usernameKey;

    @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
    @Pattern(Schemas.SECRET_KEY)
    @JsonPropertyDescription("Key of the password (default: password).")
    private String passwordKey;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getUsernameKey() {
      return usernameKey;
    }

    public void setUsernameKey(String usernameKey) {
      this.usernameKey = usernameKey;
    }

    public String getPasswordKey() {
      return passwordKey;
    }

    public void setPasswordKey(String passwordKey) {
      this.passwordKey = passwordKey;
    }
  }
}
