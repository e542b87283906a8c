package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGTERM right after an attempt: endpoint health is collected for a second before it is written,
 * and that last batch must reach the endpoint's status before the operator's client closes.
 */
class ShutdownE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("shutdown");

  @Test
  void theLastAttemptsReachTheEndpointStatusOnSigterm() {
    TestReceiver receiver = env.receiver().always(Response.of(500, "down"));
    OperatorProcess operator = env.startOperator();
    env.apply(endpoint("billing", receiver.url("/hooks"), "1h"));
    env.awaitField("whe", "billing", ".status.signingSecretName", s -> !s.isBlank());
    env.apply(delivery("order-1", "billing", "{\"orderId\": 1}"));
    env.awaitField("whd", "order-1", ".status.attempts", "1"::equals);

    operator.stop();
    assertThat(operator.isAlive()).isFalse();
    assertThat(env.jsonpath("whe", "billing", ".status.consecutiveFailures")).isEqualTo("1");
    assertThat(env.jsonpath("whe", "billing", ".status.phase")).isEqualTo("Failing");
    assertThat(operator.log())
        .doesNotContain("Client already closed")
        .doesNotContain("not recorded");
  }
}
