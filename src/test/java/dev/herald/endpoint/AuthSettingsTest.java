package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.AuthSpec;
import dev.herald.api.v1alpha1.BasicAuthSpec;
import dev.herald.api.v1alpha1.BearerAuthSpec;
import dev.herald.api.v1alpha1.HeaderFromSecret;
import dev.herald.api.v1alpha1.OAuth2Spec;
import dev.herald.api.v1alpha1.SecretValueRef;
import dev.herald.api.v1alpha1.WebhookEndpointSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What EndpointSettings refuses of spec.auth and spec.headersFrom (InvalidSpec). */
class AuthSettingsTest {
  private static WebhookEndpointSpec spec() {
    var spec = new WebhookEndpointSpec();
    spec.setUrl("https://receiver.example.com/hooks");
    return spec;
  }

  private static BearerAuthSpec bearer() {
    var b = new BearerAuthSpec();
    b.setSecretRef(new SecretValueRef("tok", "token"));
    return b;
  }

  private static OAuth2Spec oauth2(String url) {
    var o = new OAuth2Spec();
    o.setTokenUrl(url);
    var ref = new OAuth2Spec.ClientSecretRef();
    ref.setName("client");
    o.setClientSecretRef(ref);
    return o;
  }

  @Test
  void oneMechanismAtMost() {
    var spec = spec();
    var auth = new AuthSpec();
    auth.setBearer(bearer());
    var basic = new BasicAuthSpec();
    basic.setSecretRef(new BasicAuthSpec.SecretRef());
    basic.getSecretRef().setName("b");
    auth.setBasic(basic);
    spec.setAuth(auth);
    assertThatThrownBy(() -> EndpointSettings.of(spec))
        .hasMessage("spec.auth may set one of bearer, basic and oauth2, not 2");
    auth.setBasic(null);
    assertThatCode(() -> EndpointSettings.of(spec)).doesNotThrowAnyException();
  }

  @Test
  void authorizationCannotAlsoComeFromHeaders() {
    var spec = spec();
    var auth = new AuthSpec();
    auth.setBearer(bearer());
    spec.setAuth(auth);
    spec.setHeaders(Map.of("authorization", "Bearer x"));
    assertThatThrownBy(() -> EndpointSettings.of(spec))
        .hasMessage("spec.headers may not set Authorization while spec.auth sets it");
    spec.setHeaders(null);
    spec.setHeadersFrom(
        List.of(new HeaderFromSecret("Authorization", new SecretValueRef("s", "k"))));
    assertThatThrownBy(() -> EndpointSettings.of(spec))
        .hasMessageContaining("header Authorization is set by spec.auth");
  }

  @Test
  void headersFromNamesAreTokensNotReservedAndNotTwice() {
    var spec = spec();
    spec.setHeaders(Map.of("X-Team", "a"));
    spec.setHeadersFrom(
        List.of(
            new HeaderFromSecret("x-team", new SecretValueRef("s", "k")),
            new HeaderFromSecret("webhook-signature", new SecretValueRef("s", "k")),
            new HeaderFromSecret("Bad Name", new SecretValueRef("s", "k"))));
    assertThatThrownBy(() -> EndpointSettings.of(spec))
        .hasMessageContaining("header x-team is set twice")
        .hasMessageContaining("header webhook-signature is set by Herald itself")
        .hasMessageContaining("is not an HTTP token");
  }

  @Test
  void theTokenUrlFollowsTheUrlRulesAndScopesTheirGrammar() {
    var spec = spec();
    var auth = new AuthSpec();
    auth.setOauth2(oauth2("ftp://login.example.com/token"));
    spec.setAuth(auth);
    assertThatThrownBy(() -> EndpointSettings.of(spec))
        .hasMessageStartingWith("spec.auth.oauth2.tokenUrl: ");
    auth.setOauth2(oauth2("https://login.example.com/token"));
    auth.getOauth2().setScopes(List.of("ok", "not ok"));
    assertThatThrownBy(() -> EndpointSettings.of(spec))
        .hasMessageStartingWith("spec.auth.oauth2.scopes: ");
    auth.getOauth2().setScopes(List.of("ok"));
    auth.getOauth2().setClientAuth("jwt");
    assertThatThrownBy(() -> EndpointSettings.of(spec))
        .hasMessage("spec.auth.oauth2.clientAuth must be basic or post");
    auth.getOauth2().setClientAuth("post");
    assertThatCode(() -> EndpointSettings.of(spec)).doesNotThrowAnyException();
  }
}
