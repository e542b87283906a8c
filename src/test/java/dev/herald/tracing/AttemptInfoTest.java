package dev.herald.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.http.WebhookRequest;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two kinds of attempt a span describes, each with what its request sends. */
class AttemptInfoTest {
  private static final WebhookRequest REQUEST =
      new WebhookRequest(
          "https://hooks.example.com/in?token=x",
          "msg_1",
          "order.created",
          "{}".getBytes(StandardCharsets.UTF_8),
          Map.of(),
          List.of(SigningKey.parse(SecretGenerator.generate())),
          Duration.ofSeconds(5),
          Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void aDeliveryAttemptNamesTheDeliveryItsEventAndItsNumber() {
    WebhookDelivery delivery = new WebhookDelivery();
    delivery.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("d-1").build());

    assertThat(AttemptInfo.ofDelivery(delivery, "billing", "order-1", 3, REQUEST))
        .isEqualTo(
            new AttemptInfo(
                "shop",
                "billing",
                "d-1",
                "order-1",
                3,
                "msg_1",
                "order.created",
                "https://hooks.example.com/in?token=x"));
  }

  @Test
  void anEventsFirstAttemptIsAttemptOneWithoutADelivery() {
    WebhookEvent event = new WebhookEvent();
    event.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("order-1").build());

    assertThat(AttemptInfo.ofEventFirstAttempt(event, "billing", REQUEST))
        .isEqualTo(
            new AttemptInfo(
                "shop",
                "billing",
                null,
                "order-1",
                1,
                "msg_1",
                "order.created",
                "https://hooks.example.com/in?token=x"));
  }
}
