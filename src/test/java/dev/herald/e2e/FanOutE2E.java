package dev.herald.e2e;

import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.TestReceiver;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * `kubectl apply` of a WebhookEvent reaches every subscribed endpoint, once. The endpoints record
 * successes, so each gets a delivery to look at (the fast path without one is {@link
 * PublishOnceE2E}'s).
 */
class FanOutE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("fanout");

  @BeforeAll
  static void operator() {
    env.startOperator();
  }

  @Test
  void anAppliedEventFansOutToSubscribersAndIsIdempotent() {
    TestReceiver receiver = env.receiver();
    env.apply(
        endpoint(
            "orders",
            receiver.url("/orders"),
            "1s",
            "eventTypes: [\"order.*\"]\nhistory: {recordSuccesses: true}"));
    env.apply(
        endpoint(
            "audit",
            receiver.url("/audit"),
            "1s",
            "eventTypes: []\nhistory: {recordSuccesses: true}"));
    env.apply(endpoint("invoices", receiver.url("/invoices"), "1s", "eventTypes: [\"invoice.*\"]"));
    String event =
        """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookEvent
        metadata:
          name: %s
        spec:
          eventType: order.created
          eventId: evt_42
          payload: {orderId: 42}
        """;
    env.apply(event.formatted("order-42"));

    await().atMost(E2EEnvironment.WAIT).until(() -> receiver.received().size() == 2);
    env.awaitField("whev", "order-42", ".status.deliveries", "2"::equals);
    List<String> names =
        env.ok("get", "whd", "-l", "herald.dev/event=order-42", "-o", "name").lines().toList();
    assertThat(names).hasSize(2);
    names.forEach(n -> env.awaitDeliveryPhase(n.substring(n.indexOf('/') + 1), "Succeeded"));
    assertThat(receiver.received())
        .extracting(r -> r.path())
        .containsExactlyInAnyOrder("/orders", "/audit");
    assertThat(receiver.received())
        .allSatisfy(r -> assertThat(r.header("webhook-id")).isEqualTo("evt_42"));

    // the producer publishes the same event id again under another name: nothing new is sent
    env.apply(event.formatted("order-42-again"));
    env.awaitField(
        "whev",
        "order-42-again",
        ".status.conditions[0].message",
        m -> m.contains("existed already"));
    assertThat(env.ok("get", "whd", "-o", "name").lines()).hasSize(2);
    assertThat(receiver.received()).hasSize(2);
  }
}
