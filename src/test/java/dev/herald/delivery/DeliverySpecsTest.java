package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.EndpointRef;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Values that can never be sent in a header are held as InvalidSpec, never attempted. */
class DeliverySpecsTest {
  private static WebhookDeliverySpec spec(String endpoint, String eventType, String deliveryId) {
    WebhookDeliverySpec spec = new WebhookDeliverySpec();
    spec.setEndpointRef(new EndpointRef(endpoint));
    spec.setEventType(eventType);
    spec.setDeliveryId(deliveryId);
    return spec;
  }

  @Test
  void anOrdinarySpecIsFine() {
    assertThat(DeliverySpecs.problem(spec("billing", "order.created", "evt_123"))).isEmpty();
    assertThat(DeliverySpecs.problem(spec("billing.eu", "Order Created", null))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "order\r\ncreated",
        "order\ncreated",
        "bestellung.\u00e4nderung",
        "\u8ba2\u5355",
        " order",
        "order\t",
        ""
      })
  void anEventTypeThatCannotBeAHeaderValueIsNamed(String eventType) {
    assertThat(DeliverySpecs.problem(spec("billing", eventType, null)))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("spec.eventType")
                    .doesNotContain(eventType.isEmpty() ? "\u0000" : eventType));
  }

  @ParameterizedTest
  @ValueSource(strings = {"id 1", "id\r\n1", "caf\u00e9", ""})
  void aDeliveryIdThatCannotBeAWebhookIdIsNamed(String id) {
    assertThat(DeliverySpecs.problem(spec("billing", "order.created", id)))
        .hasValueSatisfying(m -> assertThat(m).contains("spec.deliveryId"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"other/ep", "Billing", "-billing", "billing_eu", "a..b", ""})
  void anEndpointRefThatIsNoObjectNameIsNamed(String name) {
    assertThat(DeliverySpecs.problem(spec(name, "order.created", null)))
        .hasValueSatisfying(m -> assertThat(m).contains("spec.endpointRef.name"));
    assertThat(DeliverySpecs.isObjectName(name)).isFalse();
  }

  @Test
  void aTooLongEventTypeIsNamed() {
    assertThat(DeliverySpecs.problem(spec("billing", "e".repeat(254), null))).isPresent();
    assertThat(DeliverySpecs.problem(spec("billing", "e".repeat(253), null))).isEmpty();
  }
}
