package dev.herald.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the suite finds the project, the operator jar and the cluster (system properties set by the
 * e2e profile).
 */
final class E2ESettings {
  private E2ESettings() {}

  static Path basedir() {
    return Path.of(System.getProperty("herald.e2e.basedir", System.getProperty("user.dir")))
        .toAbsolutePath();
  }

  static Path jar() {
    Path jar =
        Path.of(
            System.getProperty(
                "herald.e2e.jar", basedir().resolve("target/herald.jar").toString()));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: run the suite with mvn -Pe2e verify (it packages first)");
    }
    return jar;
  }

  static Path logs() {
    return Path.of(
        System.getProperty("herald.e2e.logs", basedir().resolve("target/e2e").toString()));
  }

  static Path kubeconfig() {
    String configured = System.getProperty("herald.e2e.kubeconfig", System.getenv("KUBECONFIG"));
    Path path =
        configured == null || configured.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "kube-lab", "kubeconfig")
            : Path.of(configured);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          "no kubeconfig at "
              + path
              + ": start an API server with hack/kube-apiserver/up.sh"
              + " (or run hack/e2e.sh) and export KUBECONFIG");
    }
    return path;
  }
}
