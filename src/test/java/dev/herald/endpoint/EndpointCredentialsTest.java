package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.AuthSpec;
import dev.herald.api.v1alpha1.BasicAuthSpec;
import dev.herald.api.v1alpha1.BearerAuthSpec;
import dev.herald.api.v1alpha1.EndpointReason;
import dev.herald.api.v1alpha1.HeaderFromSecret;
import dev.herald.api.v1alpha1.OAuth2Spec;
import dev.herald.api.v1alpha1.SecretValueRef;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class EndpointCredentialsTest {
  static final String NS = "team";
  KubernetesClient client;

  private void secret(String name, boolean marked, Map<String, String> values) {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withMetadata(
                    new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace(NS)
                        .withLabels(marked ? Map.of(Herald.LABEL_USABLE, "true") : Map.of())
                        .build())
                .withStringData(values)
                .build())
        .createOr(r -> r.update());
  }

  private static WebhookEndpoint endpoint(WebhookEndpointSpec spec) {
    WebhookEndpoint e = new WebhookEndpoint();
    e.setMetadata(new ObjectMetaBuilder().withName("e").withNamespace(NS).withUid("uid-1").build());
    spec.setUrl("https://receiver.example.com/hooks");
    e.setSpec(spec);
    return e;
  }

  private static WebhookEndpointSpec bearer(String secret, String key) {
    var spec = new WebhookEndpointSpec();
    var auth = new AuthSpec();
    var bearer = new BearerAuthSpec();
    bearer.setSecretRef(new SecretValueRef(secret, key));
    auth.setBearer(bearer);
    spec.setAuth(auth);
    return spec;
  }

  @Test
  void noCredentialsReadNoSecret() throws Exception {
    assertThat(new EndpointCredentials(client).of(endpoint(new WebhookEndpointSpec())))
        .isSameAs(EndpointCredentials.Resolved.NONE);
  }

  @Test
  void bearerTokenWithoutTheTrailingLineBreakOfAFile() throws Exception {
    secret("tok", true, Map.of("token", "abc.def\n"));
    var resolved = new EndpointCredentials(client).of(endpoint(bearer("tok", "token")));
    assertThat(resolved.headers()).containsExactly(Map.entry("Authorization", "Bearer abc.def"));
    assertThat(resolved.toString()).doesNotContain("abc.def");
  }

  @Test
  void basicWithTheKeysOfABasicAuthSecret() throws Exception {
    secret("basic", true, Map.of("username", "herald", "password", "pä:ss"));
    var spec = new WebhookEndpointSpec();
    var auth = new AuthSpec();
    var basic = new BasicAuthSpec();
    var ref = new BasicAuthSpec.SecretRef();
    ref.setName("basic");
    basic.setSecretRef(ref);
    auth.setBasic(basic);
    spec.setAuth(auth);
    var resolved = new EndpointCredentials(client).of(endpoint(spec));
    assertThat(resolved.headers().get("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("herald:pä:ss".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void headersFromSecretsAndTheirValuesChecked() throws Exception {
    secret("keys", true, Map.of("api", "k-1", "bad", "line\r\nInjected: 1"));
    var spec = new WebhookEndpointSpec();
    spec.setHeadersFrom(
        List.of(new HeaderFromSecret("X-Api-Key", new SecretValueRef("keys", "api"))));
    assertThat(new EndpointCredentials(client).of(endpoint(spec)).headers())
        .containsExactly(Map.entry("X-Api-Key", "k-1"));

    spec.setHeadersFrom(List.of(new HeaderFromSecret("X-Bad", new SecretValueRef("keys", "bad"))));
    assertThatThrownBy(() -> new EndpointCredentials(client).check(endpoint(spec)))
        .isInstanceOfSatisfying(
            CredentialsException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(EndpointReason.AuthSecretInvalid);
              assertThat(e.getMessage())
                  .contains("spec.headersFrom[X-Bad]", "Secret keys key bad")
                  .doesNotContain("Injected");
            });
  }

  @Test
  void oauth2GrantFromTheSecretWithAKeyThatChangesWithTheCredentials() throws Exception {
    secret("client", true, Map.of("client-id", "id-1", "client-secret", "sec-1"));
    var spec = new WebhookEndpointSpec();
    var auth = new AuthSpec();
    var oauth2 = new OAuth2Spec();
    oauth2.setTokenUrl("https://login.example.com/token");
    var ref = new OAuth2Spec.ClientSecretRef();
    ref.setName("client");
    oauth2.setClientSecretRef(ref);
    oauth2.setScopes(List.of("a", "b"));
    auth.setOauth2(oauth2);
    spec.setAuth(auth);
    var credentials = new EndpointCredentials(client);
    var grant = credentials.of(endpoint(spec)).oauth2();
    assertThat(grant.clientId()).isEqualTo("id-1");
    assertThat(grant.clientSecret()).isEqualTo("sec-1");
    assertThat(grant.scopes()).containsExactly("a", "b");
    assertThat(grant.postClientAuth()).isFalse();
    assertThat(grant.cacheKey()).startsWith("uid-1/").doesNotContain("sec-1");
    assertThat(grant.toString()).doesNotContain("sec-1");

    secret("client", true, Map.of("client-id", "id-1", "client-secret", "sec-2"));
    // the uncached check sees the edit at once; the delivery path within the cache's 10 s
    credentials.check(endpoint(spec));
    var fresh = new EndpointCredentials(client).of(endpoint(spec)).oauth2();
    assertThat(fresh.cacheKey()).isNotEqualTo(grant.cacheKey());
    assertThat(credentials.of(endpoint(spec)).oauth2().cacheKey())
        .as("read again only after the cache TTL")
        .isEqualTo(grant.cacheKey());
  }

  @Test
  void anUnmarkedSecretIsAnsweredLikeAMissingOneAndAMissingKeyByName() {
    secret("unmarked", false, Map.of("token", "t-unmarked"));
    var credentials = new EndpointCredentials(client);
    for (String name : List.of("unmarked", "absent")) {
      assertThatThrownBy(() -> credentials.check(endpoint(bearer(name, "token"))))
          .isInstanceOfSatisfying(
              CredentialsException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(EndpointReason.AuthSecretNotFound);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "spec.auth.bearer.secretRef: Secret "
                            + name
                            + " not found, or not labelled herald.dev/usable=true");
              });
    }
    secret("tok", true, Map.of("token", "t"));
    assertThatThrownBy(() -> credentials.check(endpoint(bearer("tok", "other"))))
        .isInstanceOfSatisfying(
            CredentialsException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(EndpointReason.AuthSecretKeyMissing);
              assertThat(e.getMessage()).contains("Secret tok has no key other");
            });
  }
}
