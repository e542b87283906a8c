package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bearer, basic, header-from-Secret and OAuth2 client credentials on the real API server, with the
 * receiver and the token endpoint on 127.0.0.1: each credential reaches the receiver, a changed
 * Secret is used without a restart, bad references are answered on Ready and in Events while the
 * deliveries wait, and no credential shows in the operator's log, Events or status.
 */
class CredentialsE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("credentials");

  /** What the receiver accepts now, by path; changed by the test as it edits Secrets. */
  private final Map<String, String> expected = new java.util.concurrent.ConcurrentHashMap<>();

  /** The client secret the token endpoint accepts, and the tokens it issued. */
  private volatile String clientSecret = "client-secret-one-Q2xpZW50";

  private final AtomicInteger issued = new AtomicInteger();
  private final List<String> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();

  private Response answer(TestReceiver.Received r) {
    if (r.path().equals("/token")) {
      String basic = "Basic " + base64("herald-client:" + clientSecret);
      if (!basic.equals(r.header("Authorization"))
          || !r.bodyText().startsWith("grant_type=client_credentials")) {
        return Response.of(401, "{\"error\":\"invalid_client\"}");
      }
      String token = "issued-token-" + issued.incrementAndGet() + "-dG9rZW4";
      tokens.add(token);
      expected.put("/oauth", "Bearer " + token);
      return Response.of(
          200,
          "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }
    String header = r.path().equals("/header") ? "X-Api-Key" : "Authorization";
    String want = expected.get(r.path());
    return want != null && want.equals(r.header(header))
        ? Response.of(204)
        : Response.of(401, "{\"error\":\"unauthorized\"}");
  }

  private void secret(String name, boolean marked, String... literals) {
    env.run("delete", "secret", name, "--ignore-not-found");
    String[] args = new String[4 + literals.length];
    args[0] = "create";
    args[1] = "secret";
    args[2] = "generic";
    args[3] = name;
    for (int i = 0; i < literals.length; i++) {
      args[4 + i] = "--from-literal=" + literals[i];
    }
    env.ok(args);
    if (marked) {
      env.ok("label", "secret", name, "herald.dev/usable=true");
    }
  }

  private String ready(String kind, String name) {
    return env.jsonpath(kind, name, ".status.conditions[?(@.type==\"Ready\")].reason");
  }

  @Test
  void everyMechanismReachesTheReceiverFollowsSecretEditsAndLeaksNothing() {
    OperatorProcess operator = env.startOperator();
    TestReceiver receiver = env.receiver().respondWith(this::answer);

    String bearer1 = "bearer-token-one-YmVhcmVy";
    String bearer2 = "bearer-token-two-YmVhcmVy";
    String password = "basic-password-cGFzc3dvcmQ";
    String apiKey1 = "api-key-one-YXBpa2V5";
    String apiKey2 = "api-key-two-YXBpa2V5";
    String secondClientSecret = "client-secret-two-Q2xpZW50";
    expected.put("/bearer", "Bearer " + bearer1);
    expected.put("/basic", "Basic " + base64("herald:" + password));
    expected.put("/header", apiKey1);

    secret("bearer", true, "token=" + bearer1);
    secret("basic", true, "username=herald", "password=" + password);
    secret("keys", true, "api=" + apiKey1);
    secret("oauth", true, "client-id=herald-client", "client-secret=" + clientSecret);

    env.apply(
        endpoint(
            "bearer",
            receiver.url("/bearer"),
            "1s x30",
            "auth: {bearer: {secretRef: {name: bearer, key: token}}}"));
    env.apply(
        endpoint(
            "basic",
            receiver.url("/basic"),
            "1s x30",
            "auth: {basic: {secretRef: {name: basic}}}"));
    env.apply(
        endpoint(
            "header",
            receiver.url("/header"),
            "1s x30",
            "headersFrom: [{name: X-Api-Key, secretRef: {name: keys, key: api}}]"));
    env.apply(
        endpoint(
            "oauth",
            receiver.url("/oauth"),
            "1s x30",
            """
            auth:
              oauth2:
                tokenUrl: %s
                clientSecretRef: {name: oauth}
                scopes: [webhooks.write]
            """
                .formatted(receiver.url("/token"))));
    for (String e : List.of("bearer", "basic", "header", "oauth")) {
      env.awaitField("whe", e, ".status.conditions[?(@.type==\"Ready\")].reason", "Ready"::equals);
      env.apply(delivery(e + "-1", e, "{\"n\": 1}"));
    }
    for (String e : List.of("bearer", "basic", "header", "oauth")) {
      env.awaitDeliveryPhase(e + "-1", "Succeeded");
      assertThat(env.jsonpath("whd", e + "-1", ".status.attempts")).as(e).isEqualTo("1");
    }
    assertThat(receiver.receivedOn("/token")).hasSize(1);
    assertThat(receiver.receivedOn("/token").get(0).bodyText())
        .isEqualTo("grant_type=client_credentials&scope=webhooks.write");

    // each credential edited in place: used from a later attempt, no restart
    secret("bearer", true, "token=" + bearer2);
    expected.put("/bearer", "Bearer " + bearer2);
    secret("keys", true, "api=" + apiKey2);
    expected.put("/header", apiKey2);
    clientSecret = secondClientSecret; // the old one is refused from now on
    expected.put("/oauth", "none until a new token is issued");
    secret("oauth", true, "client-id=herald-client", "client-secret=" + secondClientSecret);
    for (String e : List.of("bearer", "header", "oauth")) {
      env.apply(delivery(e + "-2", e, "{\"n\": 2}"));
    }
    for (String e : List.of("bearer", "header", "oauth")) {
      env.awaitDeliveryPhase(e + "-2", "Succeeded");
    }
    assertThat(
            receiver
                .receivedOn("/bearer")
                .get(receiver.receivedOn("/bearer").size() - 1)
                .header("Authorization"))
        .isEqualTo("Bearer " + bearer2);
    assertThat(tokens).hasSizeGreaterThanOrEqualTo(2);
    assertThat(operator.log()).doesNotContain("Exception in thread");

    // a token endpoint that refuses: its own error class, its answer in the attempt
    secret("oauth-bad", true, "client-id=herald-client", "client-secret=wrong-secret-d3Jvbmc");
    env.apply(
        endpoint(
            "oauth-bad",
            receiver.url("/oauth"),
            "1s x30",
            "auth: {oauth2: {tokenUrl: %s, clientSecretRef: {name: oauth-bad}}}"
                .formatted(receiver.url("/token"))));
    env.apply(delivery("oauth-bad-1", "oauth-bad", "{\"n\": 1}"));
    env.awaitField("whd", "oauth-bad-1", ".status.lastError.class", "TokenRequestFailed"::equals);
    assertThat(env.jsonpath("whd", "oauth-bad-1", ".status.attemptLog[0].responseExcerpt"))
        .contains("invalid_client");

    // bad references: Ready and an Event say which; the deliveries wait, nothing is sent
    secret("unmarked", false, "token=unmarked-token-dW5tYXJrZWQ");
    env.apply(
        endpoint(
            "missing",
            receiver.url("/bearer"),
            "1s",
            "auth: {bearer: {secretRef: {name: later, key: token}}}"));
    env.apply(
        endpoint(
            "unmarked",
            receiver.url("/bearer"),
            "1s",
            "auth: {bearer: {secretRef: {name: unmarked, key: token}}}"));
    env.apply(
        endpoint(
            "wrong-key",
            receiver.url("/header"),
            "1s",
            "headersFrom: [{name: X-Api-Key, secretRef: {name: keys, key: nope}}]"));
    Map<String, String> reasons =
        Map.of(
            "missing", "AuthSecretNotFound",
            "unmarked", "AuthSecretNotFound",
            "wrong-key", "AuthSecretKeyMissing");
    reasons.forEach(
        (e, reason) -> {
          env.apply(delivery(e + "-1", e, "{\"n\": 1}"));
          env.awaitField(
              "whe", e, ".status.conditions[?(@.type==\"Ready\")].reason", reason::equals);
          env.awaitField(
              "whd", e + "-1", ".status.conditions[?(@.type==\"Ready\")].reason", reason::equals);
        });
    assertThat(env.jsonpath("whe", "unmarked", ".status.conditions[?(@.type==\"Ready\")].message"))
        .isEqualTo(
            "spec.auth.bearer.secretRef: Secret unmarked not found, or not labelled"
                + " herald.dev/usable=true");
    assertThat(env.jsonpath("whe", "wrong-key", ".status.conditions[?(@.type==\"Ready\")].message"))
        .contains("spec.headersFrom[X-Api-Key]", "Secret keys has no key nope");
    for (String e : reasons.keySet()) {
      assertThat(env.jsonpath("whd", e + "-1", ".status.phase")).isEqualTo("Pending");
      assertThat(env.jsonpath("whd", e + "-1", ".status.attempts")).isIn("", "0");
    }
    String events = env.ok("get", "events", "-o", "yaml");
    assertThat(events).contains("AuthSecretNotFound", "AuthSecretKeyMissing");

    // fixed: the waiting delivery goes out, without a restart
    secret("later", true, "token=" + bearer2);
    env.awaitField(
        "whe", "missing", ".status.conditions[?(@.type==\"Ready\")].reason", "Ready"::equals);
    env.awaitDeliveryPhase("missing-1", "Succeeded");

    Map<String, String> haystacks = new LinkedHashMap<>();
    haystacks.put("operator log " + operator.logFile(), operator.log());
    haystacks.put("kubectl get events -o yaml", env.ok("get", "events", "-o", "yaml"));
    haystacks.put("kubectl get whe,whd -o yaml", env.ok("get", "whe,whd", "-o", "yaml"));
    List<String> credentials =
        new java.util.ArrayList<>(
            List.of(
                bearer1,
                bearer2,
                password,
                base64("herald:" + password),
                apiKey1,
                apiKey2,
                "client-secret-one-Q2xpZW50",
                secondClientSecret,
                "wrong-secret-d3Jvbmc",
                "unmarked-token-dW5tYXJrZWQ"));
    credentials.addAll(tokens);
    for (var haystack : haystacks.entrySet()) {
      for (String credential : credentials) {
        assertThat(haystack.getValue())
            .as("%s contains a credential", haystack.getKey())
            .doesNotContain(credential);
      }
    }
    E2EEnvironment.log(
        "credentials: %d credentials searched in %d outputs: none found",
        credentials.size(), haystacks.size());
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
