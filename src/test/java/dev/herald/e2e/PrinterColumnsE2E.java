package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.TestReceiver;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What {@code kubectl get} shows: the CRDs' printer columns and the {@code herald} category. */
class PrinterColumnsE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("columns");
  private static final String READY_REASON = ".status.conditions[?(@.type==\"Ready\")].reason";

  @BeforeAll
  static void aDeliveredEvent() {
    env.startOperator();
    TestReceiver receiver = env.receiver();
    env.apply(endpoint("billing", receiver.url("/hooks"), "1s"));
    env.apply(delivery("order-1", "billing", "{\"orderId\": 1}"));
    env.awaitDeliveryPhase("order-1", "Succeeded");
    env.awaitField("whe", "billing", ".status.phase", "Active"::equals);
    // a delivery that waits: Pending, and only the Ready reason says why
    env.apply(endpoint("held", receiver.url("/held"), "1s", "paused: true"));
    env.apply(delivery("held-1", "held", "{}"));
    env.awaitField("whd", "held-1", READY_REASON, "EndpointPaused"::equals);
  }

  @Test
  void deliveriesShowEndpointEventPhaseCodeAttemptsNextAttempt() {
    List<String> lines = env.ok("get", "whd").lines().toList();
    assertThat(normalised(lines.get(0)))
        .isEqualTo("NAME ENDPOINT EVENT PHASE CODE ATTEMPTS NEXT ATTEMPT AGE");
    String row = lines.stream().filter(l -> l.startsWith("order-1 ")).findFirst().orElseThrow();
    // NEXT ATTEMPT is empty once finished, so the row has one field fewer than the header
    assertThat(normalised(row).split(" "))
        .startsWith("order-1", "billing", "order.created", "Succeeded", "200", "1");
  }

  @Test
  void wideDeliveriesAddTheReadyReasonAfterTheDefaultColumns() {
    List<String> lines = env.ok("get", "whd", "-o", "wide").lines().toList();
    assertThat(normalised(lines.get(0)))
        .isEqualTo("NAME ENDPOINT EVENT PHASE CODE ATTEMPTS NEXT ATTEMPT AGE REASON");
    assertThat(row(lines, "held-1"))
        .startsWith("held-1", "held", "order.created", "Pending")
        .endsWith("EndpointPaused");
    assertThat(row(lines, "order-1")).endsWith("Delivered");
  }

  @Test
  void endpointsShowUrlPhaseFailuresLastSuccess() {
    List<String> lines = env.ok("get", "whe").lines().toList();
    assertThat(normalised(lines.get(0))).isEqualTo("NAME URL PHASE FAILURES LAST SUCCESS AGE");
    String row = lines.stream().filter(l -> l.startsWith("billing ")).findFirst().orElseThrow();
    assertThat(normalised(row).split(" "))
        .startsWith("billing", env.jsonpath("whe", "billing", ".spec.url"), "Active", "0");
  }

  @Test
  void theHeraldCategoryListsBothKinds() {
    assertThat(env.ok("get", "herald", "-o", "name").lines())
        .contains("webhookendpoint.herald.dev/billing", "webhookdelivery.herald.dev/order-1");
  }

  private static String[] row(List<String> lines, String name) {
    return normalised(
            lines.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow())
        .split(" ");
  }

  private static String normalised(String line) {
    return line.trim().replaceAll("\\s+", " ");
  }
}
