package dev.herald.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.v1alpha1.WebhookDelivery;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class UnreadableFilterTest {
  KubernetesClient client;

  static WebhookDelivery delivery(String resourceVersion) {
    WebhookDelivery d = new WebhookDelivery();
    d.setMetadata(
        new ObjectMetaBuilder()
            .withName("bad")
            .withNamespace("ns")
            .withUid("uid-1")
            .withResourceVersion(resourceVersion)
            .build());
    return d;
  }

  @Test
  void anUnreadableObjectIsKeptFromTheReconcilerAndReportedOnceAVersion() {
    try (UnreadableFilter<WebhookDelivery> filter =
        new UnreadableFilter<>(new EventRecorder(client, Clock.systemUTC()))) {
      assertThat(filter.accept(delivery("1"))).as("a readable delivery").isTrue();

      WebhookDelivery bad = delivery("2");
      Unreadable.mark(
          bad, "status: Cannot deserialize value of type `java.lang.Integer` at attempts");
      assertThat(filter.accept(bad)).isFalse();
      assertThat(filter.accept(bad)).isFalse();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !client.v1().events().inNamespace("ns").list().getItems().isEmpty());
      var events = client.v1().events().inNamespace("ns").list().getItems();
      assertThat(events)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getReason()).isEqualTo(Unreadable.REASON);
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("bad");
                assertThat(e.getMessage()).contains("attempts");
              });
    }
  }
}
