package dev.herald.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointRef;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Which delivery under a fan-out name counts as the event's: anyone can compute the name. */
class FanOutOwnershipTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static WebhookDelivery delivery(
      String ownerKind, String ownerUid, Consumer<WebhookDelivery> change) {
    WebhookDelivery d = new WebhookDelivery();
    var meta =
        new ObjectMetaBuilder()
            .withName("billing-0123456789")
            .withNamespace("shop")
            .withLabels(
                new HashMap<>(
                    Map.of(
                        "shard",
                        "a",
                        Herald.LABEL_EVENT,
                        "order-1",
                        Herald.LABEL_ENDPOINT,
                        "billing")));
    if (ownerKind != null) {
      meta.withOwnerReferences(
          new OwnerReferenceBuilder()
              .withApiVersion("herald.dev/v1alpha1")
              .withKind(ownerKind)
              .withName("order-1")
              .withUid(ownerUid)
              .build());
    }
    d.setMetadata(meta.build());
    WebhookDeliverySpec spec = new WebhookDeliverySpec();
    spec.setEndpointRef(new EndpointRef("billing"));
    spec.setEventType("order.created");
    spec.setDeliveryId("evt_1");
    spec.setPayload(JSON.createObjectNode().put("orderId", 1));
    d.setSpec(spec);
    change.accept(d);
    return d;
  }

  private static final WebhookDelivery WANTED = delivery("WebhookEvent", "uid-1", d -> {});

  private static String foreign(Consumer<WebhookDelivery> change) {
    return FanOut.foreignBecause(delivery("WebhookEvent", "uid-0", change), WANTED, null);
  }

  @Test
  void anEarlierPublicationOfTheSameEventIdIsTheEvents() {
    assertThat(foreign(d -> {})).isNull();
    assertThat(
            foreign(
                d -> {
                  d.getMetadata().getLabels().put(Herald.LABEL_PHASE, "Succeeded");
                  d.setStatus(new WebhookDeliveryStatus());
                  d.getStatus().setPhase(DeliveryPhase.Succeeded);
                }))
        .isNull();
    assertThat(foreign(d -> d.getMetadata().getLabels().put(Herald.LABEL_PHASE, "Pending")))
        .isNull(); // written after status
  }

  @Test
  void anythingElseUnderTheNameIsNot() {
    assertThat(FanOut.foreignBecause(delivery(null, null, d -> {}), WANTED, null))
        .contains("not created by a fan-out");
    assertThat(FanOut.foreignBecause(delivery("ConfigMap", "uid-1", d -> {}), WANTED, null))
        .contains("not created by a fan-out");
    assertThat(foreign(d -> d.getSpec().setEndpointRef(new EndpointRef("billing-eu"))))
        .contains("another endpoint");
    assertThat(foreign(d -> d.getSpec().setEventType("order.paid"))).contains("event type");
    assertThat(foreign(d -> d.getSpec().setDeliveryId("evt_2"))).contains("delivery id");
    assertThat(foreign(d -> d.getSpec().getPayload().put("orderId", 666)))
        .isEqualTo("its payload differs");
    assertThat(foreign(d -> d.getMetadata().getLabels().remove("shard"))).contains("labels");
    // a finished phase label without the status behind it keeps the operator from ever sending it
    assertThat(foreign(d -> d.getMetadata().getLabels().put(Herald.LABEL_PHASE, "Succeeded")))
        .contains("phase label");
  }

  @Test
  void aFallbackCountsOnlyIfOwnedByThisVeryEvent() {
    assertThat(FanOut.foreignBecause(delivery("WebhookEvent", "uid-1", d -> {}), WANTED, "uid-1"))
        .isNull();
    assertThat(FanOut.foreignBecause(delivery("WebhookEvent", "uid-0", d -> {}), WANTED, "uid-1"))
        .isNotNull();
  }
}
