package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.demo.MockServerSelectors;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.TestReceiver;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook requests are asynchronous: a reconcile thread starts an attempt and returns, the response
 * wakes the delivery, and a reconcile records it. The result is held until its status write
 * succeeds, so a failed write does not send the attempt again.
 */
@EnableKubernetesMockClient(crud = true)
class AsyncDispatchTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  KubernetesClient client;
  KubernetesMockServer server;

  /**
   * The operator's informers use set-based selectors (in, notin) the mock server cannot parse by
   * itself.
   */
  @BeforeEach
  void understandSetBasedSelectors() {
    MockServerSelectors.install(server);
  }

  @Test
  void oneReconcileThreadKeepsManyRequestsOpen() {
    String ns = OperatorHarness.freshNamespace();
    CountDownLatch release = new CountDownLatch(1);
    try (TestReceiver hanging = new TestReceiver().holdUntil(release);
        TestReceiver healthy = new TestReceiver();
        HeraldOperator herald =
            new HeraldOperator(
                    client,
                    OperatorHarness.testConfig().toBuilder()
                        .reconcileThreads(1)
                        .maxInFlightPerEndpoint(4)
                        .build())
                .start()) {
      OperatorHarness.installCrds(client);
      assertThat(herald.runtimeInfo().isStarted()).isTrue();
      var slow = endpoint(ns, "slow", hanging.url("/hook"), "1s");
      slow.getSpec().setTimeout("30s");
      client.resource(slow).create();
      client.resource(endpoint(ns, "fast", healthy.url("/hook"), "1s")).create();
      for (int i = 0; i < 4; i++) {
        client.resource(delivery(ns, "open-" + i, "slow", "{}")).create();
      }
      // four requests open at once with one reconcile thread: no thread waits on a response
      await().atMost(WAIT).until(() -> hanging.received().size() == 4);

      client.resource(delivery(ns, "quick", "fast", "{}")).create();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> phase(ns, "quick") == DeliveryPhase.Succeeded);
      assertThat(release.getCount()).as("the hanging requests are still open").isEqualTo(1);

      release.countDown();
      for (int i = 0; i < 4; i++) {
        String name = "open-" + i;
        await().atMost(WAIT).until(() -> phase(ns, name) == DeliveryPhase.Succeeded);
      }
      assertThat(hanging.received()).hasSize(4);
    }
  }

  @Test
  void theOverallLimitBoundsOpenRequests() {
    String ns = OperatorHarness.freshNamespace();
    CountDownLatch release = new CountDownLatch(1);
    try (TestReceiver a = new TestReceiver().holdUntil(release);
        TestReceiver b = new TestReceiver().holdUntil(release);
        HeraldOperator herald =
            new HeraldOperator(
                    client,
                    OperatorHarness.testConfig().toBuilder()
                        .maxInFlight(3)
                        .maxInFlightPerEndpoint(10)
                        .build())
                .start()) {
      OperatorHarness.installCrds(client);
      assertThat(herald.runtimeInfo().isStarted()).isTrue();
      client.resource(endpoint(ns, "a", a.url("/hook"), "1s")).create();
      client.resource(endpoint(ns, "b", b.url("/hook"), "1s")).create();
      for (int i = 0; i < 4; i++) {
        client.resource(delivery(ns, "a-" + i, "a", "{}")).create();
        client.resource(delivery(ns, "b-" + i, "b", "{}")).create();
      }
      await().atMost(WAIT).until(() -> a.received().size() + b.received().size() == 3);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3))
          .until(() -> a.received().size() + b.received().size() == 3);

      release.countDown();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  client.resources(WebhookDelivery.class).inNamespace(ns).list().getItems().stream()
                      .allMatch(
                          d ->
                              d.getStatus() != null
                                  && d.getStatus().getPhase() == DeliveryPhase.Succeeded));
      assertThat(a.received().size() + b.received().size()).isEqualTo(8);
    }
  }

  @Test
  void aFailedStatusWriteIsRetriedWithoutSendingAgain() throws InterruptedException {
    String ns = OperatorHarness.freshNamespace();
    String statusPath =
        "/apis/herald.dev/v1alpha1/namespaces/" + ns + "/webhookdeliveries/order-1/status";
    try (TestReceiver receiver = new TestReceiver();
        HeraldOperator herald = new HeraldOperator(client, OperatorHarness.testConfig()).start()) {
      OperatorHarness.installCrds(client);
      assertThat(herald.runtimeInfo().isStarted()).isTrue();
      client.resource(endpoint(ns, "billing", receiver.url("/hook"), "1s")).create();
      OperatorHarness.awaitSigningSecret(client, ns, "billing", WAIT);
      // the first status writes of the delivery are its attempt's record: make three of them fail
      server
          .expect()
          .patch()
          .withPath(statusPath)
          .andReturn(
              409,
              new StatusBuilder()
                  .withCode(409)
                  .withReason("Conflict")
                  .withMessage("injected")
                  .build())
          .times(3);
      client.resource(delivery(ns, "order-1", "billing", "{}")).create();

      await().atMost(WAIT).until(() -> phase(ns, "order-1") == DeliveryPhase.Succeeded);
      int statusWrites = 0;
      for (int i = 0, n = server.getRequestCount(); i < n; i++) {
        var request = server.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
        if (request != null
            && "PATCH".equals(request.getMethod())
            && statusPath.equals(request.getPath())) {
          statusWrites++;
        }
      }
      assertThat(statusWrites)
          .as("status writes: three refused, then the one that took")
          .isGreaterThanOrEqualTo(4);
      assertThat(receiver.received())
          .as("one POST: the result waited for its status write")
          .hasSize(1);
      assertThat(
              client
                  .resources(WebhookDelivery.class)
                  .inNamespace(ns)
                  .withName("order-1")
                  .get()
                  .getStatus()
                  .getAttempts())
          .isEqualTo(1);
    }
  }

  private DeliveryPhase phase(String ns, String name) {
    var d = client.resources(WebhookDelivery.class).inNamespace(ns).withName(name).get();
    return d == null || d.getStatus() == null ? null : d.getStatus().getPhase();
  }
}
