package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** OAuth2 client credentials (RFC 6749 section 4.4): Herald gets a token and sends it as Bearer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OAuth2Spec {
  public static final String DEFAULT_CLIENT_ID_KEY = "client-id";
  public static final String DEFAULT_CLIENT_SECRET_KEY = "client-secret";
  public static final int MAX_SCOPES = 32;
  public static final int SCOPE_MAX_LENGTH = 256;
  public static final int AUDIENCE_MAX_LENGTH = 2048;

  @Required
  @Pattern(Schemas.HTTP_URL)
  @Size(max = Schemas.URL_MAX_LENGTH)
  @JsonPropertyDescription(
      "Token endpoint; reached under the same egress policy and TLS rules as the receiver.")
  private String tokenUrl;

  @Required
  @JsonPropertyDescription("The Secret holding the client id and client secret.")
  private ClientSecretRef clientSecretRef;

  @Size(max = MAX_SCOPES)
  @JsonPropertyDescription("Scopes asked for (the scope parameter, space-separated).")
  private List<@Size(min = 1, max = SCOPE_MAX_LENGTH) @Pattern("^[!#-\\[\\]-~]+$") String> scopes;

  @Size(min = 1, max = AUDIENCE_MAX_LENGTH)
  @Pattern(Schemas.HEADER_SAFE_TEXT)
  @JsonPropertyDescription(
      "Sent as the audience parameter (Auth0, Okta and others), when the receiver needs one.")
  private String audience;

  @Pattern("^(basic|post)$")
  @JsonPropertyDescription(
      "How the client authenticates to the token endpoint: basic (default; HTTP Basic,"
          + " client_secret_basic) or post (client_id and client_secret in the form body).")
  private String clientAuth;

  public String getTokenUrl() {
    return tokenUrl;
  }

  public void setTokenUrl(String tokenUrl) {
    this.tokenUrl = tokenUrl;
  }

  public ClientSecretRef getClientSecretRef() {
    return clientSecretRef;
  }

  public void setClientSecretRef(ClientSecretRef clientSecretRef) {
    this.clientSecretRef = clientSecretRef;
  }

  public List<String> getScopes() {
    return scopes;
  }

  public void setScopes(List<String> scopes) {
    this.scopes = scopes;
  }

  public String getAudience() {
    return audience;
  }

  public void setAudience(String audience) {
    this.audience = audience;
  }

  public String getClientAuth() {
    return clientAuth;
  }

  public void setClientAuth(String clientAuth) {
    this.clientAuth = clientAuth;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ClientSecretRef {
    @Required
    @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
    @Pattern(Schemas.OBJECT_NAME)
    @JsonPropertyDescription(
        "Name of a Secret in the same namespace, labelled herald.dev/usable=true.")
    private String name;

    @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
    @Pattern(Schemas.SECRET_KEY)
    @JsonPropertyDescription("Key of the client id (default: client-id).")
    private String clientIdKey;

    @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
    @Pattern(Schemas.SECRET_KEY)
    @JsonPropertyDescription("Key of the client secret (default: client-secret).")
    private String clientSecretKey;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getClientIdKey() {
      return clientIdKey;
    }

    public void setClientIdKey(String clientIdKey) {
      this.clientIdKey = clientIdKey;
    }

    public String getClientSecretKey() {
      return clientSecretKey;
    }

    public void setClientSecretKey(String clientSecretKey) {
      this.clientSecretKey = clientSecretKey;
    }
  }
}
