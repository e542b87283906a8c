package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How each request proves who sends it to the receiver; at most one of the three. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {
  @JsonPropertyDescription("A static bearer token from a Secret.")
  private BearerAuthSpec bearer;

  @JsonPropertyDescription("HTTP Basic credentials from a Secret.")
  private BasicAuthSpec basic;

  @JsonPropertyDescription(
      "OAuth2 client credentials: Herald gets an access token and sends it as a bearer token.")
  private OAuth2Spec oauth2;

  public BearerAuthSpec getBearer() {
    return bearer;
  }

  public void setBearer(BearerAuthSpec bearer) {
    this.bearer = bearer;
  }

  public BasicAuthSpec getBasic() {
    return basic;
  }

  public void setBasic(BasicAuthSpec basic) {
    this.basic = basic;
  }

  public OAuth2Spec getOauth2() {
    return oauth2;
  }

  public void setOauth2(OAuth2Spec oauth2) {
    this.oauth2 = oauth2;
  }
}
