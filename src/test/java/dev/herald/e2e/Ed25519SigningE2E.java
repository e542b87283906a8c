package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.signedEndpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import dev.herald.testing.NodeVerifier;
import dev.herald.testing.NodeVerifier.Signed;
import dev.herald.testing.TestReceiver;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code spec.signing.algorithm: ed25519} on the real API server, every signature checked by Node's
 * built-in {@code crypto.verify} (hack/lib.sh installs Node) against the public keys the endpoint's
 * status publishes: a generated key and its rotation (both keys sign during the overlap), a switch
 * from HMAC (a v1 and a v1a signature during the overlap), a user's key pair and its change without
 * restart, and bad references that hold deliveries until they are fixed.
 */
class Ed25519SigningE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("ed25519");
  private static final String READY_REASON = ".status.conditions[?(@.type==\"Ready\")].reason";
  private static final String READY_MESSAGE = ".status.conditions[?(@.type==\"Ready\")].message";

  @BeforeAll
  static void operator() {
    env.startOperator();
  }

  @Test
  void generatedKeyRotatesWithBothSignaturesDuringTheOverlap() {
    TestReceiver receiver = env.receiver();
    env.apply(
        signedEndpoint(
            "signed", receiver.url("/hooks"), "algorithm: ed25519, rotationOverlap: 15s"));
    String first =
        env.awaitField("whe", "signed", ".status.signingPublicKey", s -> s.startsWith("whpk_"));
    String firstSecret = env.jsonpath("whe", "signed", ".status.signingSecretName");
    assertThat(env.jsonpath("whe", "signed", ".status.signingAlgorithm")).isEqualTo("ed25519");
    assertThat(decoded(env.jsonpath("secret", firstSecret, ".data.secret"))).startsWith("whsk_");
    assertThat(decoded(env.jsonpath("secret", firstSecret, ".data.public-key")))
        .as("the Secret holds the same public key")
        .isEqualTo(first);

    env.apply(delivery("d1", "signed", "{\"orderId\": 1}"));
    env.awaitDeliveryPhase("d1", "Succeeded");
    assertThat(verify(List.of(first), receiver.received().get(0))).containsExactly(true);

    env.ok("annotate", "whe", "signed", "herald.dev/rotate-secret=r1");
    String second =
        env.awaitField(
            "whe",
            "signed",
            ".status.signingPublicKey",
            s -> s.startsWith("whpk_") && !s.equals(first));
    assertThat(env.jsonpath("whe", "signed", ".status.retiredSecrets[0].publicKey"))
        .isEqualTo(first);
    env.apply(delivery("d2", "signed", "{\"orderId\": 2}"));
    env.awaitDeliveryPhase("d2", "Succeeded");
    TestReceiver.Received during = receiver.received().get(1);
    assertThat(during.header("webhook-signature").split(" "))
        .allSatisfy(entry -> assertThat(entry).startsWith("v1a,"))
        .hasSize(2);
    assertThat(verify(List.of(first, second), during))
        .as("during the overlap both the old and the new public key verify")
        .containsExactly(true, true);

    await("old Secret deleted after the 15s overlap")
        .atMost(E2EEnvironment.WAIT)
        .pollInterval(E2EEnvironment.POLL)
        .until(() -> !env.exists("secret", firstSecret));
    env.awaitField("whe", "signed", ".status.retiredSecrets", String::isEmpty);
    env.apply(delivery("d3", "signed", "{\"orderId\": 3}"));
    env.awaitDeliveryPhase("d3", "Succeeded");
    assertThat(verify(List.of(first, second), receiver.received().get(2)))
        .as("after the overlap only the new key signs")
        .containsExactly(false, true);
  }

  @Test
  void switchingFromHmacIsARotationWithAV1AndAV1aSignatureDuringTheOverlap() throws Exception {
    TestReceiver receiver = env.receiver();
    env.apply(signedEndpoint("switch", receiver.url("/hooks"), "rotationOverlap: 60s"));
    String hmacSecret =
        env.awaitField("whe", "switch", ".status.signingSecretName", s -> !s.isEmpty());
    String hmacKey = decoded(env.jsonpath("secret", hmacSecret, ".data.secret"));

    env.apply(
        signedEndpoint(
            "switch", receiver.url("/hooks"), "algorithm: ed25519, rotationOverlap: 60s"));
    String publicKey =
        env.awaitField("whe", "switch", ".status.signingPublicKey", s -> s.startsWith("whpk_"));
    assertThat(env.jsonpath("whe", "switch", ".status.retiredSecrets[0].name"))
        .isEqualTo(hmacSecret);
    env.apply(delivery("s1", "switch", "{\"orderId\": 1}"));
    env.awaitDeliveryPhase("s1", "Succeeded");
    TestReceiver.Received r = receiver.received().get(0);
    assertThat(r.header("webhook-signature")).contains("v1,").contains("v1a,");
    assertThat(verify(List.of(publicKey), r)).containsExactly(true);
    // a receiver still on the HMAC secret keeps verifying with a Standard Webhooks library
    new Webhook(hmacKey).verify(r.bodyText(), r.httpHeaders());
  }

  @Test
  void usersKeyPairSignsAndItsChangeIsPickedUpWithoutRestart() {
    TestReceiver receiver = env.receiver();
    NodeVerifier.KeyPair a = NodeVerifier.generateKeyPair();
    NodeVerifier.KeyPair b = NodeVerifier.generateKeyPair();
    env.ok("create", "secret", "generic", "partner-pair", "--from-literal=secret=" + a.secretKey());
    env.ok("label", "secret", "partner-pair", "herald.dev/usable=true");
    env.apply(
        signedEndpoint(
            "mine", receiver.url("/hooks"), "algorithm: ed25519, secretRef: {name: partner-pair}"));
    env.apply(delivery("u1", "mine", "{\"orderId\": 1}"));
    env.awaitDeliveryPhase("u1", "Succeeded");
    assertThat(verify(List.of(a.publicKey(), b.publicKey()), receiver.received().get(0)))
        .containsExactly(true, false);
    assertThat(env.jsonpath("whe", "mine", ".status.signingSecretName")).isEmpty();

    env.ok(
        "patch",
        "secret",
        "partner-pair",
        "-p",
        "{\"stringData\": {\"secret\": \"" + b.secretKey() + "\"}}");
    // keys are cached for 10 seconds: a delivery after that signs with the new pair
    int[] n = {1};
    await("a delivery signed with the changed key pair")
        .atMost(E2EEnvironment.WAIT)
        .pollInterval(java.time.Duration.ofSeconds(3))
        .until(
            () -> {
              n[0]++;
              env.apply(delivery("u" + n[0], "mine", "{\"orderId\": " + n[0] + "}"));
              env.awaitDeliveryPhase("u" + n[0], "Succeeded");
              List<TestReceiver.Received> got = receiver.received();
              return verify(List.of(b.publicKey()), got.get(got.size() - 1)).get(0);
            });
    assertThat(env.jsonpath("secret", "partner-pair", ".metadata.name"))
        .as("the user's Secret is kept")
        .isEqualTo("partner-pair");
  }

  @Test
  void badReferencesHoldDeliveriesWithAClearConditionUntilFixed() {
    TestReceiver receiver = env.receiver();
    NodeVerifier.KeyPair pair = NodeVerifier.generateKeyPair();
    env.apply(
        signedEndpoint(
            "wrong", receiver.url("/hooks"), "algorithm: ed25519, secretRef: {name: pair}"));
    env.apply(delivery("w1", "wrong", "{\"orderId\": 1}"));
    env.awaitField("whe", "wrong", READY_REASON, "SecretNotFound"::equals);
    env.awaitField("whd", "w1", READY_REASON, "SecretNotFound"::equals);

    // not marked for Herald: answered exactly like a missing one
    env.ok("create", "secret", "generic", "pair", "--from-literal=secret=" + pair.secretKey());
    env.ok("create", "secret", "generic", "hmac", "--from-literal=secret=whsec_" + base64(32));
    env.ok("label", "secret", "hmac", "herald.dev/usable=true");
    await()
        .during(java.time.Duration.ofSeconds(3))
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> "SecretNotFound".equals(env.jsonpath("whe", "wrong", READY_REASON)));
    assertThat(env.jsonpath("whe", "wrong", READY_MESSAGE))
        .isEqualTo("Secret pair not found, or not labelled herald.dev/usable=true");

    // an HMAC key where the spec asks for ed25519
    env.apply(
        signedEndpoint(
            "wrong", receiver.url("/hooks"), "algorithm: ed25519, secretRef: {name: hmac}"));
    env.awaitField("whe", "wrong", READY_REASON, "SecretInvalid"::equals);
    assertThat(env.jsonpath("whe", "wrong", READY_MESSAGE))
        .isEqualTo(
            "Secret hmac key secret holds a hmac-sha256 key, but spec.signing.algorithm is"
                + " ed25519: it must be a whsk_ ed25519 secret key (whsk_ + base64 of the 32-byte"
                + " seed, or of seed and public key)");
    env.awaitField("whd", "w1", READY_REASON, "SecretInvalid"::equals);

    // a whsk_ value that is no ed25519 key
    env.ok("create", "secret", "generic", "short", "--from-literal=secret=whsk_" + base64(20));
    env.ok("label", "secret", "short", "herald.dev/usable=true");
    env.apply(
        signedEndpoint(
            "wrong", receiver.url("/hooks"), "algorithm: ed25519, secretRef: {name: short}"));
    env.awaitField(
        "whe",
        "wrong",
        READY_MESSAGE,
        m -> m.startsWith("Secret short key secret is not a whsk_ ed25519 secret key"));
    assertThat(env.ok("get", "events", "--field-selector", "involvedObject.name=wrong"))
        .contains("SecretNotFound")
        .contains("SecretInvalid");
    assertThat(env.jsonpath("whd", "w1", ".status.phase")).isNotIn("Succeeded", "Failed");
    assertThat(receiver.received()).as("nothing is sent unsigned").isEmpty();

    // fixed: marking the key pair lets the held delivery go out, signed with it
    env.ok("label", "secret", "pair", "herald.dev/usable=true");
    env.apply(
        signedEndpoint(
            "wrong", receiver.url("/hooks"), "algorithm: ed25519, secretRef: {name: pair}"));
    env.awaitField("whe", "wrong", READY_REASON, "Ready"::equals);
    env.awaitDeliveryPhase("w1", "Succeeded");
    assertThat(verify(List.of(pair.publicKey()), receiver.received().get(0))).containsExactly(true);
  }

  private static List<Boolean> verify(List<String> publicKeys, TestReceiver.Received r) {
    return NodeVerifier.verify(publicKeys, List.of(Signed.of(r))).get(0);
  }

  private static String decoded(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static String base64(int bytes) {
    byte[] b = new byte[bytes];
    new java.security.SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }
}
