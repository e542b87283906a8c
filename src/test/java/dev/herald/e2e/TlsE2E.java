package dev.herald.e2e;

import static dev.herald.e2e.Manifests.caBundleConfigMap;
import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.OfflineVertx;
import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestCerts;
import dev.herald.testing.TestReceiver;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.tls on the real API server, with https receivers on 127.0.0.1 whose certificates come from a
 * private CA: a client certificate from a {@code kubernetes.io/tls} Secret, a CA bundle from a
 * ConfigMap or a Secret, the negotiated TLS in the attempt log, Secret edits used without a
 * restart, bad references answered on Ready and in Events while the deliveries wait, and no client
 * private key anywhere the operator writes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("tls");

  static final TestCerts.Issued PRIVATE_CA = TestCerts.ca("herald e2e receiver CA");
  static final TestCerts.Issued CLIENT_CA = TestCerts.ca("herald e2e client CA");

  /** Every client certificate (and so private key) the tests put into a Secret. */
  static final List<TestCerts.Issued> CLIENT_KEYS = new CopyOnWriteArrayList<>();

  static Vertx vertx;
  static OperatorProcess operator;

  /** Requires a client certificate from CLIENT_CA; records the serial of each one presented. */
  static TestReceiver mtls;

  static final List<BigInteger> presented = new CopyOnWriteArrayList<>();

  /** Only a certificate from PRIVATE_CA, no client certificate asked for. */
  static TestReceiver privateCaOnly;

  @BeforeAll
  static void start() {
    vertx = OfflineVertx.create("");
    mtls =
        TestReceiver.start(
            vertx,
            TestCerts.httpsOptions(PRIVATE_CA, CLIENT_CA, null),
            req -> {
              try {
                presented.add(
                    ((X509Certificate) req.connection().peerCertificates().get(0))
                        .getSerialNumber());
              } catch (Exception e) {
                presented.add(BigInteger.ZERO);
              }
              req.response().setStatusCode(204).end();
            });
    privateCaOnly = env.receiver(TestCerts.httpsOptions(PRIVATE_CA, null, null));
    operator = env.startOperator();
    env.apply(caBundleConfigMap("private-ca", PRIVATE_CA.certPem()));
    env.apply(secret("private-ca-secret", "Opaque", true, Map.of("ca.crt", PRIVATE_CA.certPem())));
  }

  @AfterAll
  static void stop() {
    if (mtls != null) {
      mtls.close();
    }
    if (vertx != null) {
      TestReceiver.await(vertx.close());
    }
  }

  @Test
  @Order(1)
  void aClientCertificateFromASecretIsPresentedAndTheNegotiatedTlsIsRecorded() throws Exception {
    TestCerts.Issued first = client();
    env.apply(tlsSecret("client-cert", true, first));
    env.apply(
        endpoint(
            "mtls",
            mtls.url(),
            "1h",
            "tls: {clientCertificateSecretName: client-cert, caBundle: {configMapName: private-ca}}"));
    env.apply(
        endpoint(
            "no-client-cert", mtls.url(), "1h", "tls: {caBundle: {configMapName: private-ca}}"));
    env.apply(delivery("mtls-1", "mtls", "{\"n\": 1}"));
    env.apply(delivery("no-client-cert-1", "no-client-cert", "{\"n\": 1}"));

    env.awaitDeliveryPhase("mtls-1", "Succeeded");
    assertThat(env.jsonpath("whd", "mtls-1", ".status.attemptLog[0].tlsVersion"))
        .isIn("TLSv1.2", "TLSv1.3");
    assertThat(env.jsonpath("whd", "mtls-1", ".status.attemptLog[0].tlsCipher")).startsWith("TLS_");
    assertThat(presented).containsExactly(first.certificate().getSerialNumber());

    env.awaitField("whd", "no-client-cert-1", ".status.lastError.class", "TlsError"::equals);
    assertThat(env.jsonpath("whd", "no-client-cert-1", ".status.lastError.message"))
        .startsWith("the receiver rejected the client certificate");
    assertThat(env.jsonpath("whd", "no-client-cert-1", ".status.lastError.hint"))
        .contains("spec.tls.clientCertificateSecretName");
    assertThat(presented).hasSize(1); // the rejected handshake reached no handler

    // the certificate renewed in place (same CA, same name): used from a later attempt, no restart
    TestCerts.Issued renewed = client();
    env.apply(tlsSecret("client-cert", true, renewed));
    Thread.sleep(Duration.ofSeconds(11).toMillis()); // the delivery path's 10 s cache
    env.apply(delivery("mtls-2", "mtls", "{\"n\": 2}"));
    env.awaitDeliveryPhase("mtls-2", "Succeeded");
    assertThat(presented).last().isEqualTo(renewed.certificate().getSerialNumber());
    assertThat(operator.isAlive()).isTrue();
  }

  @Test
  @Order(2)
  void aPrivateCaBundleAloneIsTrustedAndWithoutItTheCaIsUnknown() {
    env.apply(
        endpoint(
            "ca-secret",
            privateCaOnly.url(),
            "1h",
            "tls: {caBundle: {secretName: private-ca-secret, includeSystemCAs: false}}"));
    env.apply(endpoint("no-bundle", privateCaOnly.url(), "1h"));
    env.apply(delivery("ca-secret-1", "ca-secret", "{\"n\": 1}"));
    env.apply(delivery("no-bundle-1", "no-bundle", "{\"n\": 1}"));

    env.awaitDeliveryPhase("ca-secret-1", "Succeeded");
    assertThat(env.jsonpath("whd", "ca-secret-1", ".status.attemptLog[0].tlsVersion"))
        .isIn("TLSv1.2", "TLSv1.3");
    env.awaitField("whd", "no-bundle-1", ".status.lastError.class", "TlsError"::equals);
    assertThat(env.jsonpath("whd", "no-bundle-1", ".status.lastError.message"))
        .startsWith("the receiver's certificate is not from a trusted CA");
    assertThat(env.jsonpath("whd", "no-bundle-1", ".status.lastError.hint"))
        .contains("spec.tls.caBundle");
    assertThat(privateCaOnly.received()).hasSize(1);
  }

  @Test
  @Order(3)
  void badReferencesHoldDeliveriesPendingUntilFixedWithoutARestart() {
    Instant now = Instant.now();
    TestCerts.Issued expired =
        track(
            TestCerts.client(
                CLIENT_CA, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));
    env.apply(tlsSecret("unmarked-cert", false, client()));
    env.apply(secret("opaque-cert", "Opaque", true, pair(client())));
    env.apply(tlsSecret("expired-cert", true, expired));
    Map<String, String> reasons = new LinkedHashMap<>();
    reasons.put("missing", "TlsReferenceNotFound");
    reasons.put("unmarked", "TlsReferenceNotFound");
    reasons.put("wrong-type", "TlsReferenceInvalid");
    reasons.put("expired", "TlsCertificateExpired");
    Map<String, String> secrets =
        Map.of(
            "missing", "later-cert",
            "unmarked", "unmarked-cert",
            "wrong-type", "opaque-cert",
            "expired", "expired-cert");
    int before = presented.size();
    for (String e : reasons.keySet()) {
      env.apply(
          endpoint(
              e,
              mtls.url(),
              "1s",
              "tls: {clientCertificateSecretName: %s, caBundle: {configMapName: private-ca}}"
                  .formatted(secrets.get(e))));
      env.apply(delivery(e + "-1", e, "{\"n\": 1}"));
    }
    reasons.forEach(
        (e, reason) -> {
          env.awaitField(
              "whe", e, ".status.conditions[?(@.type==\"Ready\")].reason", reason::equals);
          assertThat(env.jsonpath("whe", e, ".status.conditions[?(@.type==\"Ready\")].status"))
              .isEqualTo("False");
          env.awaitField(
              "whd", e + "-1", ".status.conditions[?(@.type==\"Ready\")].reason", reason::equals);
        });
    assertThat(env.jsonpath("whe", "unmarked", ".status.conditions[?(@.type==\"Ready\")].message"))
        .contains("unmarked-cert");
    assertThat(
            env.jsonpath("whe", "wrong-type", ".status.conditions[?(@.type==\"Ready\")].message"))
        .contains("opaque-cert", "kubernetes.io/tls");
    assertThat(env.jsonpath("whe", "expired", ".status.conditions[?(@.type==\"Ready\")].message"))
        .startsWith("the client certificate expired at");
    for (String e : reasons.keySet()) {
      assertThat(env.jsonpath("whd", e + "-1", ".status.phase")).as(e).isEqualTo("Pending");
      assertThat(env.jsonpath("whd", e + "-1", ".status.attempts")).as(e).isIn("", "0");
    }
    String warnings = env.ok("get", "events", "--field-selector", "type=Warning", "-o", "yaml");
    assertThat(warnings)
        .contains("TlsReferenceNotFound", "TlsReferenceInvalid", "TlsCertificateExpired");
    assertThat(presented).hasSize(before); // nothing was sent

    // each fixed in its own way: the waiting deliveries go out, nothing lost
    env.apply(tlsSecret("later-cert", true, client()));
    env.ok("label", "secret", "unmarked-cert", "herald.dev/usable=true");
    env.ok("delete", "secret", "opaque-cert"); // a Secret's type cannot change
    env.apply(tlsSecret("opaque-cert", true, client()));
    env.apply(tlsSecret("expired-cert", true, client()));
    for (String e : reasons.keySet()) {
      env.awaitDeliveryPhase(e + "-1", "Succeeded");
      env.awaitField("whe", e, ".status.conditions[?(@.type==\"Ready\")].reason", "Ready"::equals);
      assertThat(env.jsonpath("whd", e + "-1", ".status.attempts")).as(e).isEqualTo("1");
    }
    assertThat(presented).hasSize(before + reasons.size());
  }

  @Test
  @Order(4)
  void noClientPrivateKeyShowsInLogsEventsOrResources() {
    Map<String, String> haystacks = new LinkedHashMap<>();
    haystacks.put("operator log " + operator.logFile(), operator.log());
    haystacks.put("kubectl get events -o yaml", env.ok("get", "events", "-o", "yaml"));
    haystacks.put(
        "kubectl get whe,whd,configmaps -o yaml",
        env.ok("get", "whe,whd,configmaps", "-o", "yaml"));
    assertThat(CLIENT_KEYS).hasSizeGreaterThanOrEqualTo(7);
    // the search would find a key where it is: the Secret that holds the newest one, as base64
    assertThat(env.ok("get", "secret", "expired-cert", "-o", "yaml"))
        .contains(base64(CLIENT_KEYS.get(CLIENT_KEYS.size() - 1).keyPem()));
    for (TestCerts.Issued issued : CLIENT_KEYS) {
      for (String secret : secretForms(issued.keyPem())) {
        haystacks.forEach(
            (where, text) ->
                assertThat(text)
                    .as("%s contains a client private key", where)
                    .doesNotContain(secret));
      }
    }
    E2EEnvironment.log(
        "tls: %d client keys searched in %d outputs: none found",
        CLIENT_KEYS.size(), haystacks.size());
  }

  /** The PEM's body (each line, and all of it on one line) and the base64 of the whole PEM. */
  static List<String> secretForms(String pem) {
    List<String> body = pem.lines().filter(l -> !l.startsWith("-----")).toList();
    List<String> forms = new ArrayList<>(body.stream().filter(l -> l.length() >= 32).toList());
    forms.add(String.join("", body));
    forms.add(base64(pem));
    return forms;
  }

  private static TestCerts.Issued client() {
    return track(TestCerts.client(CLIENT_CA));
  }

  private static TestCerts.Issued track(TestCerts.Issued issued) {
    CLIENT_KEYS.add(issued);
    return issued;
  }

  private static Map<String, String> pair(TestCerts.Issued issued) {
    return Map.of("tls.crt", issued.certPem(), "tls.key", issued.keyPem());
  }

  private static String tlsSecret(String name, boolean marked, TestCerts.Issued issued) {
    return secret(name, "kubernetes.io/tls", marked, pair(issued));
  }

  /** A Secret's YAML, its values as base64 in data (as kubectl create secret would write them). */
  static String secret(String name, String type, boolean marked, Map<String, String> values) {
    StringBuilder data = new StringBuilder();
    values.forEach(
        (k, v) -> data.append("  ").append(k).append(": ").append(base64(v)).append('\n'));
    return """
        apiVersion: v1
        kind: Secret
        metadata:
          name: %s
          labels: {%s}
        type: %s
        data:
        %s"""
        .formatted(name, marked ? "herald.dev/usable: \"true\"" : "", type, data);
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
