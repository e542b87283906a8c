package dev.herald.e2e;

import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.kube.Hashes;
import dev.herald.testing.TestReceiver;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fan-out names can be computed in advance: a delivery pre-created under one with a forged payload
 * is reported as a Conflict and the endpoint still receives the event, on the real API server
 * (generated names, 253-character names).
 */
class FanOutConflictE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("fanout-conflict");

  @Test
  void aPrecreatedDeliveryCannotMakeTheEventSkipItsEndpoint() {
    TestReceiver receiver = env.receiver();
    env.startOperator();
    // a long name: the computed delivery name keeps 242 characters of it, a generated one fewer
    String endpoint = "billing-" + "x".repeat(235);
    // it records successes: the test is about the delivery the event must create
    env.apply(
        endpoint(endpoint, receiver.url("/billing"), "1s", "history: {recordSuccesses: true}"));
    String computed =
        endpoint.substring(0, 242)
            + "-"
            + HexFormat.of().formatHex(Hashes.sha256(env.ns() + "/evt_7"), 0, 5);
    env.apply(
        """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookDelivery
        metadata:
          name: %s
        spec:
          endpointRef: {name: %s}
          eventType: order.created
          deliveryId: evt_7
          payload: {orderId: 666, note: FORGED_BY_A_TENANT}
        """
            .formatted(computed, endpoint));
    await().atMost(E2EEnvironment.WAIT).until(() -> receiver.received().size() == 1);

    env.apply(
        """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookEvent
        metadata:
          name: order-7
        spec:
          eventType: order.created
          eventId: evt_7
          payload: {orderId: 7}
        """);
    env.awaitField("whev", "order-7", ".status.conditions[0].reason", "Conflict"::equals);
    assertThat(env.jsonpath("whev", "order-7", ".status.conditions[0].status")).isEqualTo("False");
    assertThat(env.jsonpath("whev", "order-7", ".status.conditions[0].message"))
        .contains(computed)
        .doesNotContain("FORGED_BY_A_TENANT"); // a name cannot hold it (a generated one held "666")
    await()
        .atMost(E2EEnvironment.WAIT)
        .until(
            () ->
                receiver.received().stream().anyMatch(r -> r.bodyText().equals("{\"orderId\":7}")));
    assertThat(receiver.received())
        .allSatisfy(r -> assertThat(r.header("webhook-id")).isEqualTo("evt_7"));

    List<String> own =
        env.ok("get", "whd", "-l", "herald.dev/event=order-7", "-o", "name").lines().toList();
    assertThat(own)
        .singleElement()
        .satisfies(n -> assertThat(n).isNotEqualTo("webhookdelivery.herald.dev/" + computed));
    env.awaitDeliveryPhase(own.get(0).substring(own.get(0).indexOf('/') + 1), "Succeeded");
    assertThat(env.jsonpath("whd", computed, ".spec.payload.orderId")).isEqualTo("666");
    await()
        .atMost(E2EEnvironment.WAIT)
        .until(
            () ->
                !env.ok(
                        "get",
                        "events",
                        "--field-selector",
                        "reason=Conflict,involvedObject.name=order-7",
                        "-o",
                        "name")
                    .isBlank());
  }
}
