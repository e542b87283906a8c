package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.demo.MockServerSelectors;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Stopping the operator, as on SIGTERM, writes what it has not written yet before its client
 * closes.
 */
@EnableKubernetesMockClient(crud = true)
class ShutdownTest {
  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void theLastAttemptsReachTheEndpointStatusBeforeTheClientCloses() {
    MockServerSelectors.install(server);
    OperatorHarness.installCrds(client);
    String ns = OperatorHarness.freshNamespace();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    root.addAppender(log);
    // the operator owns its client, as `herald run` does, and closes it when it stops
    KubernetesClient owned =
        new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    try (TestReceiver receiver = new TestReceiver().always(Response.of(500))) {
      HeraldOperator operator =
          new HeraldOperator(
                  owned, OperatorHarness.testConfig().toBuilder().closeClientOnStop(true).build())
              .start();
      try {
        client.resource(endpoint(ns, "billing", receiver.url("/hook"), "1h")).create();
        client.resource(delivery(ns, "order-1", "billing", "{}")).create();
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(10))
            .until(
                () -> {
                  WebhookDelivery d =
                      client
                          .resources(WebhookDelivery.class)
                          .inNamespace(ns)
                          .withName("order-1")
                          .get();
                  return d.getStatus() != null
                      && d.getStatus().getAttempts() != null
                      && d.getStatus().getAttempts() == 1;
                });
      } finally {
        operator.close(); // within the second in which endpoint health is collected
      }
      WebhookEndpoint endpoint =
          client.resources(WebhookEndpoint.class).inNamespace(ns).withName("billing").get();
      assertThat(endpoint.getStatus().getConsecutiveFailures()).isEqualTo(1);
      assertThat(endpoint.getStatus().getPhase()).isEqualTo(EndpointPhase.Failing);
      assertThat(log.list)
          .noneMatch(e -> e.getFormattedMessage().contains("Client already closed"));
      assertThat(owned.getHttpClient().isClosed()).isTrue();
    } finally {
      root.detachAppender(log);
      owned.close();
    }
  }
}
