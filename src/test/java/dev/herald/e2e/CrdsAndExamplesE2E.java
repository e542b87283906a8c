package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The install a user does: the CRDs, then the examples. No operator runs here: nothing is
 * delivered.
 */
class CrdsAndExamplesE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("install");

  @Test
  void crdsApplyAndBecomeEstablished() {
    Kubectl kubectl = env.kubectl();
    Kubectl.Result apply =
        kubectl.run("apply", "-f", E2ESettings.basedir().resolve("crds").toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    assertThat(apply.stdout())
        .contains(
            "webhookendpoints.herald.dev",
            "webhookdeliveries.herald.dev",
            "webhookevents.herald.dev",
            "webhookdigests.herald.dev");

    Kubectl.Result wait =
        kubectl.run(
            "wait",
            "--for",
            "condition=established",
            "--timeout=60s",
            "crd/webhookendpoints.herald.dev",
            "crd/webhookdeliveries.herald.dev",
            "crd/webhookevents.herald.dev",
            "crd/webhookdigests.herald.dev");
    assertThat(wait.exitCode()).as(wait.toString()).isZero();
    assertThat(wait.stdout().lines())
        .hasSize(4)
        .allSatisfy(l -> assertThat(l).endsWith("condition met"));
  }

  @Test
  void examplesApplyIntoANamespace() throws Exception {
    Path examples = E2ESettings.basedir().resolve("examples");
    List<Path> files;
    try (Stream<Path> s = Files.list(examples)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(Files.readString(file))
          .as("%s names no namespace, so -n picks it", file)
          .doesNotContain("namespace:");
    }

    Kubectl.Result apply = env.run("apply", "-f", examples.toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();

    assertThat(env.ok("get", "whe", "-o", "name").lines().toList())
        .containsExactlyInAnyOrder(
            "webhookendpoint.herald.dev/orders",
            "webhookendpoint.herald.dev/orders-explicit",
            "webhookendpoint.herald.dev/storefront",
            "webhookendpoint.herald.dev/payments",
            "webhookendpoint.herald.dev/inventory",
            "webhookendpoint.herald.dev/billing",
            "webhookendpoint.herald.dev/maintenance",
            "webhookendpoint.herald.dev/partners",
            "webhookendpoint.herald.dev/ledger",
            "webhookendpoint.herald.dev/partner-sync",
            "webhookendpoint.herald.dev/audit-log",
            "webhookendpoint.herald.dev/settlements",
            "webhookendpoint.herald.dev/partner-bearer",
            "webhookendpoint.herald.dev/legacy-basic",
            "webhookendpoint.herald.dev/erp-oauth2",
            "webhookendpoint.herald.dev/analytics",
            "webhookendpoint.herald.dev/ledger-mtls",
            "webhookendpoint.herald.dev/audit",
            "webhookendpoint.herald.dev/shipping");
    assertThat(env.ok("get", "whd", "-o", "name").lines().toList())
        .containsExactlyInAnyOrder(
            "webhookdelivery.herald.dev/order-1001", "webhookdelivery.herald.dev/order-1000");
    assertThat(env.ok("get", "whev", "-o", "name").lines().toList())
        .containsExactlyInAnyOrder(
            "webhookevent.herald.dev/order-1002",
            "webhookevent.herald.dev/order-1003",
            "webhookevent.herald.dev/invoice-acme-7");
    assertThat(env.jsonpath("whev", "order-1003", ".spec.traceContext.traceparent"))
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(
            env.jsonpath("whev", "invoice-acme-7", ".spec.endpointSelector.matchLabels.customer"))
        .isEqualTo("acme");
    assertThat(env.ok("get", "whdg", "-o", "name").lines().toList())
        .containsExactly("webhookdigest.herald.dev/daily");
    assertThat(env.jsonpath("whe", "storefront", ".spec.retry.schedule[0]")).isEqualTo("10m x144");
    assertThat(env.jsonpath("whe", "storefront", ".spec.retry.maxAge")).isEqualTo("24h");
    assertThat(env.jsonpath("whe", "shipping", ".spec.retry.jitter")).isEqualTo("20%");
    assertThat(env.jsonpath("whe", "shipping", ".spec.retry.overloadMinDelay")).isEqualTo("60s");
    assertThat(env.jsonpath("whe", "billing", ".spec.signing.secretRef.name"))
        .isEqualTo("billing-webhook-secret");
    assertThat(env.exists("secret", "billing-webhook-secret")).isTrue();
    // the Secrets Herald reads for a user are marked for it
    assertThat(
            env.ok("get", "secret", "-l", "herald.dev/usable=true", "-o", "name").lines().toList())
        .containsExactlyInAnyOrder(
            "secret/billing-webhook-secret",
            "secret/digest-smtp",
            "secret/settlements-signing-key",
            "secret/partner-token",
            "secret/legacy-basic",
            "secret/erp-oauth-client",
            "secret/analytics-keys",
            "secret/ledger-client-cert");
    // one example per credential mechanism, stored as written
    assertThat(env.jsonpath("whe", "partner-bearer", ".spec.auth.bearer.secretRef.key"))
        .isEqualTo("token");
    assertThat(env.jsonpath("whe", "legacy-basic", ".spec.auth.basic.secretRef.name"))
        .isEqualTo("legacy-basic");
    assertThat(env.jsonpath("whe", "erp-oauth2", ".spec.auth.oauth2.scopes[0]"))
        .isEqualTo("webhooks.write");
    assertThat(env.jsonpath("whe", "analytics", ".spec.headersFrom[0].name"))
        .isEqualTo("X-Api-Key");
    assertThat(env.jsonpath("whe", "audit-log", ".spec.signing.algorithm")).isEqualTo("ed25519");
    assertThat(env.jsonpath("whe", "audit", ".spec.tls.caBundle.configMapName"))
        .isEqualTo("audit-ca");

    // applying again changes no Herald object: the examples are declarative (a Secret written
    // with stringData always reports "configured")
    Kubectl.Result again = env.run("apply", "-f", examples.toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.stdout().lines().filter(l -> l.contains("herald.dev/")))
        .hasSize(25)
        .allSatisfy(l -> assertThat(l).endsWith("unchanged"));
  }
}
