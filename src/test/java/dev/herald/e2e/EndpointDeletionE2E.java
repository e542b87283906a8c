package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kubectl delete whe}: unfinished deliveries become Cancelled, the generated Secret goes.
 */
class EndpointDeletionE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("deletion");

  @BeforeAll
  static void operator() {
    env.startOperator();
  }

  @Test
  void deletingAnEndpointCancelsItsDeliveryInBackoffAndDeletesItsSecret() {
    TestReceiver receiver = env.receiver().always(Response.of(503, "down"));
    env.apply(endpoint("billing", receiver.url("/hooks"), "1h"));
    env.apply(delivery("order-1", "billing", "{\"orderId\": 1}"));
    env.awaitDeliveryPhase("order-1", "Failed");
    assertThat(env.jsonpath("whd", "order-1", ".status.nextAttemptTime")).isNotEmpty();
    String secret =
        env.awaitField("whe", "billing", ".status.signingSecretName", s -> !s.isEmpty());
    assertThat(env.exists("secret", secret)).isTrue();

    Kubectl.Result deleted = env.run("delete", "whe", "billing", "--timeout=60s");
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    assertThat(env.exists("whe", "billing")).isFalse();

    env.awaitDeliveryPhase("order-1", "Cancelled");
    assertThat(env.jsonpath("whd", "order-1", ".metadata.labels.herald\\.dev/phase"))
        .isEqualTo("Cancelled");
    assertThat(env.jsonpath("whd", "order-1", ".status.nextAttemptTime")).isEmpty();
    await("generated Secret deleted")
        .atMost(E2EEnvironment.WAIT)
        .pollInterval(E2EEnvironment.POLL)
        .until(() -> !env.exists("secret", secret));
    assertThat(receiver.received()).as("never sent again").hasSize(1);
  }
}
