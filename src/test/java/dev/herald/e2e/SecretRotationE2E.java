package dev.herald.e2e;

import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kubectl annotate whe NAME herald.dev/rotate-secret=...}: a new Secret, the old one kept
 * for the overlap.
 */
class SecretRotationE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("rotation");

  @BeforeAll
  static void operator() {
    env.startOperator();
  }

  @Test
  void rotationCreatesANewSecretAndDeletesTheOldOneAfterTheOverlap() {
    env.apply(
        endpoint("partners", "http://127.0.0.1:9/unused", "1s", "signing: {rotationOverlap: 5s}"));
    String oldName =
        env.awaitField("whe", "partners", ".status.signingSecretName", s -> !s.isEmpty());
    String oldKey = env.jsonpath("secret", oldName, ".data.secret");
    assertThat(env.jsonpath("secret", oldName, ".metadata.labels.herald\\.dev/endpoint"))
        .isEqualTo("partners");

    env.ok("annotate", "whe", "partners", "herald.dev/rotate-secret=r1");
    String newName =
        env.awaitField(
            "whe",
            "partners",
            ".status.signingSecretName",
            s -> !s.isEmpty() && !s.equals(oldName));

    assertThat(env.exists("secret", newName)).as("the new Secret exists").isTrue();
    assertThat(env.jsonpath("secret", newName, ".data.secret")).isNotEqualTo(oldKey);
    // 5s of overlap leave a loaded machine time to look before the old Secret goes
    assertThat(env.exists("secret", oldName))
        .as("the old Secret is kept during the overlap")
        .isTrue();
    assertThat(env.jsonpath("whe", "partners", ".status.retiredSecrets[*].name"))
        .isEqualTo(oldName);

    await("old Secret deleted after the 5s overlap")
        .atMost(E2EEnvironment.WAIT)
        .pollInterval(E2EEnvironment.POLL)
        .until(() -> !env.exists("secret", oldName));
    env.awaitField("whe", "partners", ".status.retiredSecrets", String::isEmpty);
    assertThat(env.exists("secret", newName)).isTrue();

    // the same value again is no new rotation
    env.ok("annotate", "whe", "partners", "herald.dev/rotate-secret=r1", "--overwrite");
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> newName.equals(env.jsonpath("whe", "partners", ".status.signingSecretName")));
  }
}
