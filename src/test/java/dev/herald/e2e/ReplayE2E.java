package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replays with kubectl annotate: one delivery by name, then every Exhausted one by label selector.
 */
class ReplayE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("replay");

  @BeforeAll
  static void operator() {
    env.startOperator();
  }

  @Test
  void annotatingADeliveryResendsItWithTheSameWebhookId() {
    TestReceiver receiver = env.receiver();
    env.apply(endpoint("shop", receiver.url("/hooks"), "1s"));
    env.apply(delivery("order-7", "shop", "{\"orderId\": 7}"));
    env.awaitDeliveryPhase("order-7", "Succeeded");

    env.ok("annotate", "whd", "order-7", "herald.dev/replay=1", "--overwrite");
    await().atMost(E2EEnvironment.WAIT).until(() -> receiver.received().size() == 2);
    env.awaitField("whd", "order-7", ".status.observedReplay", "1"::equals);
    env.awaitDeliveryPhase("order-7", "Succeeded");

    TestReceiver.Received first = receiver.received().get(0);
    TestReceiver.Received second = receiver.received().get(1);
    assertThat(second.header("webhook-id"))
        .isEqualTo(first.header("webhook-id"))
        .isEqualTo(env.jsonpath("whd", "order-7", ".metadata.uid"));
    assertThat(second.bodyText()).isEqualTo(first.bodyText());
    assertThat(env.jsonpath("whd", "order-7", ".status.attempts")).isEqualTo("1");
    assertThat(env.jsonpath("whd", "order-7", ".status.attemptLog[*].attempt"))
        .as("the log is kept")
        .isEqualTo("1 1");
  }

  @Test
  void bulkReplayByLabelSelectorRedrivesEveryExhaustedDelivery() {
    // 410 to the first three requests, 200 afterwards
    TestReceiver receiver =
        env.receiver().thenRespond(Response.of(410), Response.of(410), Response.of(410));
    env.apply(endpoint("legacy", receiver.url("/legacy"), "1s"));
    List<String> names = List.of("ex-1", "ex-2", "ex-3");
    for (String name : names) {
      env.apply(delivery(name, "legacy", "{\"name\": \"" + name + "\"}"));
    }
    names.forEach(n -> env.awaitDeliveryPhase(n, "Exhausted"));
    Set<String> firstIds =
        receiver.received().stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
    assertThat(firstIds).hasSize(3);

    // the command the API contract documents
    String annotated =
        env.ok(
            "annotate",
            "whd",
            "-l",
            "herald.dev/phase=Exhausted",
            "herald.dev/replay=" + System.currentTimeMillis() / 1000,
            "--overwrite");
    assertThat(annotated.lines()).hasSize(3);

    names.forEach(n -> env.awaitDeliveryPhase(n, "Succeeded"));
    await().atMost(E2EEnvironment.WAIT).until(() -> receiver.received().size() == 6);
    Set<String> replayedIds =
        receiver.received().subList(3, 6).stream()
            .map(r -> r.header("webhook-id"))
            .collect(Collectors.toSet());
    assertThat(replayedIds).isEqualTo(firstIds);
    assertThat(env.ok("get", "whd", "-l", "herald.dev/phase=Exhausted", "-o", "name")).isBlank();
  }
}
