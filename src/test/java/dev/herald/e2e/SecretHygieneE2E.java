package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static dev.herald.e2e.Manifests.signedEndpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After a run with failures, a rotation, a replay, an unusable user Secret and an ed25519 key pair
 * with its rotation, no signing key (in any of the forms it is stored or used in) and no signature
 * the receiver saw appears in the operator's log, the namespace's Events or the Herald resources'
 * YAML.
 */
class SecretHygieneE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("hygiene");
  private static final String USER_SECRET_VALUE = "hunter2-not-a-whsec-key-Zm9vYmFyYmF6";
  private static final String OTHER_SECRET_VALUE = "db-password-value-Q29ycmVjdEhvcnNl";
  private static final String BEARER_TOKEN = "partner-bearer-token-cGFydG5lcg";
  private static final String API_KEY = "partner-api-key-YXBpa2V5";

  @Test
  void noKeyOrSignatureLeaksIntoLogsEventsOrResources() {
    OperatorProcess operator = env.startOperator();
    TestReceiver receiver =
        env.receiver().thenRespond(Response.of(500, "nope"), Response.of(401, "bad signature"));
    env.apply(
        endpoint("vault", receiver.url("/hooks"), "1s x5", "signing: {rotationOverlap: 120s}"));
    Set<String> keys = new LinkedHashSet<>();
    String first = env.awaitField("whe", "vault", ".status.signingSecretName", s -> !s.isEmpty());
    collectKey(keys, first);

    // failures first: 500, 401, then 200
    env.apply(delivery("d1", "vault", "{\"orderId\": 1}"));
    env.awaitDeliveryPhase("d1", "Succeeded");
    assertThat(env.jsonpath("whd", "d1", ".status.attempts")).isEqualTo("3");

    // a rotation: during the overlap requests carry two signatures
    env.ok("annotate", "whe", "vault", "herald.dev/rotate-secret=r1");
    String second =
        env.awaitField(
            "whe", "vault", ".status.signingSecretName", s -> !s.isEmpty() && !s.equals(first));
    collectKey(keys, second);
    env.apply(delivery("d2", "vault", "{\"orderId\": 2}"));
    env.awaitDeliveryPhase("d2", "Succeeded");

    // a replay
    env.ok("annotate", "whd", "d1", "herald.dev/replay=1");
    env.awaitField("whd", "d1", ".status.observedReplay", "1"::equals);
    env.awaitDeliveryPhase("d1", "Succeeded");
    await().atMost(E2EEnvironment.WAIT).until(() -> receiver.received().size() == 5);

    // a user Secret that is not a whsec_ key: reported as SecretInvalid, its value never echoed
    env.ok(
        "create", "secret", "generic", "not-a-key", "--from-literal=secret=" + USER_SECRET_VALUE);
    env.ok("label", "secret", "not-a-key", "herald.dev/usable=true");
    env.apply(signedEndpoint("user-key", receiver.url("/user"), "secretRef: {name: not-a-key}"));
    env.apply(delivery("d3", "user-key", "{\"orderId\": 3}"));
    env.awaitField(
        "whe",
        "user-key",
        ".status.conditions[?(@.type==\"Ready\")].reason",
        "SecretInvalid"::equals);
    env.awaitField(
        "whd", "d3", ".status.conditions[?(@.type==\"Ready\")].reason", "SecretInvalid"::equals);
    keys.add(USER_SECRET_VALUE);
    keys.add(base64(USER_SECRET_VALUE));

    // the confused deputy and the exploit of issue 10: a Secret nobody marked for Herald is
    // answered like a missing one, is never recorded in status, and after "remove secretRef,
    // rotate" only Herald's own generated Secret is deleted
    env.ok(
        "create",
        "secret",
        "generic",
        "db-password",
        "--from-literal=password=" + OTHER_SECRET_VALUE);
    env.apply(
        signedEndpoint(
            "deputy",
            receiver.url("/deputy"),
            "rotationOverlap: 2s, secretRef: {name: db-password, key: password}"));
    env.apply(delivery("d4", "deputy", "{\"orderId\": 4}"));
    env.awaitField(
        "whe",
        "deputy",
        ".status.conditions[?(@.type==\"Ready\")].reason",
        "SecretNotFound"::equals);
    env.awaitField(
        "whd", "d4", ".status.conditions[?(@.type==\"Ready\")].reason", "SecretNotFound"::equals);
    assertThat(env.jsonpath("whe", "deputy", ".status.conditions[?(@.type==\"Ready\")].message"))
        .isEqualTo("Secret db-password not found, or not labelled herald.dev/usable=true");
    assertThat(env.jsonpath("whe", "deputy", ".status.signingSecretName")).isEmpty();
    env.ok(
        "patch",
        "whe",
        "deputy",
        "--type=json",
        "-p",
        "[{\"op\": \"remove\", \"path\": \"/spec/signing/secretRef\"}]");
    String deputyFirst =
        env.awaitField(
            "whe", "deputy", ".status.signingSecretName", s -> s.startsWith("deputy-signing-"));
    collectKey(keys, deputyFirst);
    env.awaitDeliveryPhase("d4", "Succeeded");
    env.ok("annotate", "whe", "deputy", "herald.dev/rotate-secret=r1");
    await().atMost(E2EEnvironment.WAIT).until(() -> !env.exists("secret", deputyFirst));
    env.awaitField("whe", "deputy", ".status.retiredSecrets", String::isEmpty);
    assertThat(
            new String(
                Base64.getDecoder().decode(env.jsonpath("secret", "db-password", ".data.password")),
                StandardCharsets.UTF_8))
        .as("the Secret named in secretRef is kept")
        .isEqualTo(OTHER_SECRET_VALUE);
    keys.add(OTHER_SECRET_VALUE);
    keys.add(base64(OTHER_SECRET_VALUE));

    // ed25519 (v1a): a generated key pair and its rotation; the whsk_ secret keys (and their
    // seeds) appear nowhere, while the public whpk_ keys are published in status on purpose
    TestReceiver edReceiver = env.receiver();
    env.apply(
        signedEndpoint(
            "asymmetric", edReceiver.url("/ed"), "algorithm: ed25519, rotationOverlap: 120s"));
    String edFirst =
        env.awaitField("whe", "asymmetric", ".status.signingPublicKey", s -> s.startsWith("whpk_"));
    collectKey(keys, env.jsonpath("whe", "asymmetric", ".status.signingSecretName"));
    env.ok("annotate", "whe", "asymmetric", "herald.dev/rotate-secret=r1");
    env.awaitField(
        "whe",
        "asymmetric",
        ".status.signingPublicKey",
        s -> s.startsWith("whpk_") && !s.equals(edFirst));
    collectKey(keys, env.jsonpath("whe", "asymmetric", ".status.signingSecretName"));
    env.apply(delivery("d5", "asymmetric", "{\"orderId\": 5}"));
    env.awaitDeliveryPhase("d5", "Succeeded");
    assertThat(edReceiver.received().get(0).header("webhook-signature").split(" "))
        .as("d5 was signed with the new and the retired ed25519 key")
        .hasSize(2)
        .allSatisfy(entry -> assertThat(entry).startsWith("v1a,"));

    // credentials from a Secret (spec.auth, spec.headersFrom) are sent, never written
    env.ok(
        "create",
        "secret",
        "generic",
        "partner-credentials",
        "--from-literal=token=" + BEARER_TOKEN,
        "--from-literal=api=" + API_KEY);
    env.ok("label", "secret", "partner-credentials", "herald.dev/usable=true");
    env.apply(
        endpoint(
            "partner",
            receiver.url("/partner"),
            "1s",
            "auth: {bearer: {secretRef: {name: partner-credentials, key: token}}}\n"
                + "headersFrom: [{name: X-Api-Key, secretRef: {name: partner-credentials, key: api}}]"));
    env.apply(delivery("d6", "partner", "{\"orderId\": 6}"));
    env.awaitDeliveryPhase("d6", "Succeeded");
    TestReceiver.Received partner = receiver.receivedOn("/partner").get(0);
    assertThat(partner.header("Authorization")).isEqualTo("Bearer " + BEARER_TOKEN);
    assertThat(partner.header("X-Api-Key")).isEqualTo(API_KEY);
    for (String credential : new String[] {BEARER_TOKEN, API_KEY}) {
      keys.add(credential);
      keys.add(base64(credential));
    }

    Set<String> signatures = new LinkedHashSet<>();
    List<TestReceiver.Received> all = new ArrayList<>(receiver.received());
    all.addAll(edReceiver.received());
    for (TestReceiver.Received request : all) {
      for (String entry : request.header("webhook-signature").split(" ")) {
        assertThat(entry).matches("v1a?,.+");
        signatures.add(entry);
        signatures.add(entry.substring(entry.indexOf(',') + 1));
      }
    }
    assertThat(receiver.received().get(3).header("webhook-signature").split(" "))
        .as("d2 was signed with the new and the retired key")
        .hasSize(2);

    Map<String, String> haystacks = new LinkedHashMap<>();
    haystacks.put("operator log " + operator.logFile(), operator.log());
    haystacks.put("kubectl get events -o yaml", env.ok("get", "events", "-o", "yaml"));
    haystacks.put("kubectl get whe,whd -o yaml", env.ok("get", "whe,whd", "-o", "yaml"));
    assertThat(haystacks.get("kubectl get events -o yaml"))
        .as("Events were written")
        .contains("SecretInvalid");
    for (Map.Entry<String, String> haystack : haystacks.entrySet()) {
      for (String key : keys) {
        assertThat(haystack.getValue())
            .as("%s contains key material", haystack.getKey())
            .doesNotContain(key);
      }
      for (String signature : signatures) {
        assertThat(haystack.getValue())
            .as("%s contains a signature", haystack.getKey())
            .doesNotContain(signature);
      }
    }
    E2EEnvironment.log(
        "secret hygiene: %d key forms and %d signature forms searched in %d outputs (%d chars): none found",
        keys.size(),
        signatures.size(),
        haystacks.size(),
        haystacks.values().stream().mapToInt(String::length).sum());
  }

  /**
   * The Secret's stored value, the whsec_ (or whsk_) string, its base64 part, and the raw key in
   * hex; for an ed25519 key also its 32-byte seed in base64 and hex.
   */
  private static void collectKey(Set<String> keys, String secretName) {
    String stored = env.jsonpath("secret", secretName, ".data.secret");
    assertThat(stored).as("Secret %s holds a key", secretName).isNotBlank();
    String whsec = new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8);
    assertThat(whsec).matches("(whsec_|whsk_).+");
    String part = whsec.substring(whsec.indexOf('_') + 1);
    byte[] raw = Base64.getDecoder().decode(part);
    keys.add(stored);
    keys.add(whsec);
    keys.add(part);
    keys.add(HexFormat.of().formatHex(raw));
    if (whsec.startsWith("whsk_")) {
      byte[] seed = java.util.Arrays.copyOf(raw, 32);
      keys.add(Base64.getEncoder().encodeToString(seed));
      keys.add(HexFormat.of().formatHex(seed));
    }
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
