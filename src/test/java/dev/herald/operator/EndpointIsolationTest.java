package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.demo.MockServerSelectors;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.TestReceiver;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * One hanging endpoint must not slow deliveries to healthy ones: with 4 requests open overall and 2
 * per endpoint, 12 deliveries stuck on a hanging receiver still leave slots for the healthy
 * endpoint. Without the per-endpoint limit the hanging receiver would hold every slot.
 */
@EnableKubernetesMockClient(crud = true)
class EndpointIsolationTest {
  KubernetesClient client;
  KubernetesMockServer server;

  @org.junit.jupiter.api.BeforeEach
  void setBasedSelectors() {
    MockServerSelectors.install(server);
  }

  @Test
  void aHangingEndpointCannotStarveAHealthyOne() {
    String ns = OperatorHarness.freshNamespace();
    CountDownLatch release = new CountDownLatch(1);
    try (TestReceiver hanging = new TestReceiver().holdUntil(release);
        TestReceiver healthy = new TestReceiver();
        HeraldOperator herald =
            new HeraldOperator(
                    client,
                    OperatorHarness.testConfig().toBuilder()
                        .maxInFlight(4)
                        .maxInFlightPerEndpoint(2)
                        .build())
                .start()) {
      OperatorHarness.installCrds(client);
      assertThat(herald.runtimeInfo().isStarted()).isTrue();
      var slow = endpoint(ns, "slow", hanging.url("/hook"), "1s");
      slow.getSpec().setTimeout("30s");
      client.resource(slow).create();
      client.resource(endpoint(ns, "fast", healthy.url("/hook"), "1s")).create();
      OperatorHarness.awaitSigningSecret(client, ns, "slow", Duration.ofSeconds(20));
      for (int i = 0; i < 12; i++) {
        client.resource(delivery(ns, "stuck-" + i, "slow", "{}")).create();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> hanging.received().size() == 2);
      assertThat(
              client
                  .resources(dev.herald.api.v1alpha1.WebhookDelivery.class)
                  .inNamespace(ns)
                  .list()
                  .getItems())
          .as("deliveries waiting for a slot (or in flight) are not written to yet")
          .filteredOn(d -> d.getMetadata().getName().startsWith("stuck-") && d.getStatus() == null)
          .hasSize(12);

      for (int i = 0; i < 5; i++) {
        client.resource(delivery(ns, "quick-" + i, "fast", "{}")).create();
      }
      for (int i = 0; i < 5; i++) {
        String name = "quick-" + i;
        // the hanging receiver holds its requests for up to 30 s: these must not wait for it
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> phase(ns, name) == DeliveryPhase.Succeeded);
      }
      assertThat(hanging.maxInFlight())
          .as("attempts in flight to the hanging endpoint")
          .isEqualTo(2);

      release.countDown();
      for (int i = 0; i < 12; i++) {
        String name = "stuck-" + i;
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> phase(ns, name) == DeliveryPhase.Succeeded);
      }
      assertThat(hanging.maxInFlight()).isLessThanOrEqualTo(2);
      assertThat(hanging.received()).hasSize(12);
    }
  }

  private DeliveryPhase phase(String ns, String name) {
    var d =
        client
            .resources(dev.herald.api.v1alpha1.WebhookDelivery.class)
            .inNamespace(ns)
            .withName(name)
            .get();
    return d == null || d.getStatus() == null ? null : d.getStatus().getPhase();
  }
}
