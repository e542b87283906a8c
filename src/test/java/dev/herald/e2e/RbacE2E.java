package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator under the RBAC it ships with, not as cluster admin.
 *
 * <p>Hook: {@code -Dherald.e2e.rbac=PATH} names a YAML file with a ClusterRole and a
 * ClusterRoleBinding to a ServiceAccount (e.g. the RBAC templates of helm/herald rendered with
 * {@code helm template}). The test applies it, runs the operator jar <em>as that
 * ServiceAccount</em> and checks that deliveries work without a single Forbidden. Pods never run on
 * the kube-lab server and v1.20 without kube-controller-manager mints no ServiceAccount tokens, so
 * the operator impersonates the ServiceAccount through the admin identity (group system:masters may
 * impersonate): fabric8 reads {@code KUBERNETES_IMPERSONATE_USERNAME} and {@code
 * KUBERNETES_IMPERSONATE_GROUP} (or the system properties {@code kubernetes.impersonate.*}); it
 * ignores {@code as:} in a kubeconfig.
 */
class RbacE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("rbac");
  private static final List<String> createdHere = new ArrayList<>();

  /**
   * The cluster-wide RBAC of helm/herald as {@code helm template} renders it (release namespace
   * "herald"): what the operator is shipped with, not a hand-written copy.
   */
  static Path chartRbac() throws java.io.IOException {
    var kinds = java.util.Set.of("ClusterRole", "ClusterRoleBinding");
    var rbacObjects =
        dev.herald.helm.RenderedChart.render(java.util.Map.of()).objects.stream()
            .filter(o -> kinds.contains(o.getKind()))
            .toList();
    assertThat(rbacObjects)
        .extracting(o -> o.getKind())
        .containsExactlyInAnyOrder("ClusterRole", "ClusterRoleBinding");
    Path out = Path.of("target", "e2e", "chart-rbac.yaml").toAbsolutePath();
    Files.createDirectories(out.getParent());
    StringBuilder yaml = new StringBuilder();
    for (var o : rbacObjects) {
      String doc = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asYaml(o);
      yaml.append(doc.startsWith("---") ? doc : "---\n" + doc).append("\n");
    }
    Files.writeString(out, yaml.toString());
    return out;
  }

  @Test
  void theShippedRbacIsEnoughToDeliverRotateAndCleanUp() throws Exception {
    String file = System.getProperty("herald.e2e.rbac");
    Path rbac = file == null || file.isBlank() ? chartRbac() : Path.of(file).toAbsolutePath();
    assertThat(Files.isRegularFile(rbac)).as("%s exists", rbac).isTrue();

    Kubectl kubectl = env.kubectl();
    List<String> existing =
        kubectl
            .run("get", "-f", rbac.toString(), "-o", "name", "--ignore-not-found")
            .stdout()
            .lines()
            .toList();
    for (String applied :
        kubectl.ok("apply", "-f", rbac.toString(), "-o", "name").lines().toList()) {
      if (!existing.contains(applied)) {
        createdHere.add(applied);
      }
    }
    String serviceAccount =
        kubectl
            .ok(
                "get",
                "-f",
                rbac.toString(),
                "-o",
                "jsonpath={range .items[?(@.kind==\"ClusterRoleBinding\")].subjects[?(@.kind==\"ServiceAccount\")]}{.namespace}:{.name}{\"\\n\"}{end}")
            .lines()
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        rbac + " binds no ServiceAccount with a ClusterRoleBinding"));
    String saNamespace = serviceAccount.split(":")[0];
    String saName = serviceAccount.split(":")[1];
    E2EEnvironment.log(
        "running the operator as system:serviceaccount:%s:%s (%s)", saNamespace, saName, rbac);

    OperatorProcess operator = env.startOperator(impersonating(saNamespace, saName)).awaitStarted();
    assertThat(operator.log())
        .contains("acting as system:serviceaccount:" + saNamespace + ":" + saName);
    TestReceiver receiver = env.receiver();
    env.apply(endpoint("billing", receiver.url("/hooks"), "1s"));
    env.apply(delivery("order-1", "billing", "{\"orderId\": 1}"));
    env.awaitDeliveryPhase("order-1", "Succeeded");
    String secret =
        env.awaitField("whe", "billing", ".status.signingSecretName", s -> !s.isEmpty());
    env.ok("annotate", "whe", "billing", "herald.dev/rotate-secret=r1");
    env.awaitField(
        "whe", "billing", ".status.signingSecretName", s -> !s.isEmpty() && !s.equals(secret));
    env.apply(delivery("order-2", "billing", "{\"orderId\": 2}"));
    env.awaitDeliveryPhase("order-2", "Succeeded");
    env.ok("delete", "whe", "billing", "--timeout=60s"); // the finalizer: patch, Secret deletion
    assertThat(env.ok("get", "secrets", "-l", "herald.dev/endpoint=billing", "-o", "name"))
        .as("generated Secrets deleted")
        .isBlank();

    assertThat(operator.log()).doesNotContain("Forbidden").doesNotContain(" 403");
  }

  /**
   * Without a binding the same operator is refused: proof that the impersonation reaches the API
   * server.
   */
  @Test
  void anIdentityWithoutRoleIsForbidden() {
    OperatorProcess operator = env.startOperator(impersonating(env.ns(), "herald-e2e-nobody"));
    await("a Forbidden in the operator log")
        .atMost(E2EEnvironment.WAIT)
        .pollInterval(E2EEnvironment.POLL)
        .until(() -> operator.log().contains("Forbidden") || operator.log().contains("403"));
    assertThat(operator.log()).contains("system:serviceaccount:" + env.ns() + ":herald-e2e-nobody");
    operator.kill();
  }

  private static Map<String, String> impersonating(String namespace, String name) {
    return Map.of(
        "KUBERNETES_IMPERSONATE_USERNAME", "system:serviceaccount:" + namespace + ":" + name,
        "KUBERNETES_IMPERSONATE_GROUP",
            "system:serviceaccounts,system:serviceaccounts:" + namespace + ",system:authenticated");
  }

  @AfterAll
  static void removeWhatThisTestCreated() {
    for (String object : createdHere) {
      env.kubectl().run("delete", object, "--ignore-not-found");
    }
  }
}
