package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

/**
 * ordering: fifo sends one delivery at a time in creation order; later ones wait while one retries.
 */
@EnableKubernetesMockClient(crud = true)
class FifoOrderingTest extends OperatorTestBase {

  @Test
  void laterDeliveriesWaitWhileTheFirstRetries() {
    receiver.thenRespond(Response.of(503), Response.of(503));
    WebhookEndpoint e = endpoint(ns, "ledger", receiver.url("/ledger"), "1s x3");
    e.getSpec().setOrdering("fifo");
    create(e);
    for (String name : new String[] {"entry-1", "entry-2", "entry-3"}) {
      create(delivery(ns, name, "ledger", "{\"entry\": \"" + name + "\"}"));
    }
    awaitPhase("entry-1", DeliveryPhase.Failed);
    awaitDeliveryReason("entry-2", "WaitingForEarlier");
    awaitDeliveryReason("entry-3", "WaitingForEarlier");
    assertThat(herald.delivery(ns, "entry-2").getStatus().getConditions().get(0).getMessage())
        .contains("entry-1");

    for (String name : new String[] {"entry-1", "entry-2", "entry-3"}) {
      awaitPhase(name, DeliveryPhase.Succeeded);
    }
    assertThat(receiver.received())
        .extracting(r -> r.bodyText())
        .containsExactly(
            "{\"entry\":\"entry-1\"}",
            "{\"entry\":\"entry-1\"}",
            "{\"entry\":\"entry-1\"}",
            "{\"entry\":\"entry-2\"}",
            "{\"entry\":\"entry-3\"}");
    assertThat(receiver.maxInFlight()).isEqualTo(1);
  }

  @Test
  void withoutFifoDeliveriesDoNotWaitForEachOther() {
    receiver.thenRespond(Response.of(503));
    create(endpoint(ns, "ledger", receiver.url("/ledger"), "5s"));
    create(delivery(ns, "entry-1", "ledger", "{}"));
    awaitPhase("entry-1", DeliveryPhase.Failed);
    create(delivery(ns, "entry-2", "ledger", "{}"));
    awaitPhase("entry-2", DeliveryPhase.Succeeded);
    assertThat(herald.delivery(ns, "entry-1").getStatus().getPhase())
        .isEqualTo(DeliveryPhase.Failed);
    await()
        .atMost(WAIT)
        .until(
            () -> herald.delivery(ns, "entry-1").getStatus().getPhase() == DeliveryPhase.Succeeded);
  }
}
