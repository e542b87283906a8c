package dev.herald.delivery;

import dev.herald.api.v1alpha1.Schemas;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.http.HeaderRules;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks of a delivery's spec that the CRD's patterns make at apply time, made again on what
 * the operator reads (objects stored before those patterns): a value that can never be sent is a
 * condition, not an attempt that fails as a connection error at every retry.
 */
final class DeliverySpecs {
  private static final Pattern OBJECT_NAME = Pattern.compile(Schemas.OBJECT_NAME);
  private static final int DELIVERY_ID_MAX_LENGTH = 253;

  private DeliverySpecs() {}

  static boolean isObjectName(String name) {
    return name != null
        && name.length() <= Schemas.OBJECT_NAME_MAX_LENGTH
        && OBJECT_NAME.matcher(name).matches();
  }

  /**
   * What makes the spec unsendable, or empty. Never quotes the offending value, only names the
   * field.
   */
  static Optional<String> problem(WebhookDeliverySpec spec) {
    if (spec == null) {
      return Optional.of("spec is missing");
    }
    String endpoint = spec.getEndpointRef() == null ? null : spec.getEndpointRef().getName();
    if (!isObjectName(endpoint)) {
      return Optional.of(
          "spec.endpointRef.name must be the name of a WebhookEndpoint in this namespace (lower-case letters,"
              + " digits, '-' and '.', at most 253 characters)");
    }
    if (!HeaderRules.isHeaderSafeText(spec.getEventType(), Schemas.EVENT_TYPE_MAX_LENGTH)) {
      return Optional.of(
          "spec.eventType must be printable ASCII without CR or LF (no outer spaces), at most "
              + Schemas.EVENT_TYPE_MAX_LENGTH
              + " characters: it is sent as webhook-event-type");
    }
    if (spec.getDeliveryId() != null
        && !HeaderRules.isHeaderSafeId(spec.getDeliveryId(), DELIVERY_ID_MAX_LENGTH)) {
      return Optional.of(
          "spec.deliveryId must be printable ASCII without spaces, at most "
              + DELIVERY_ID_MAX_LENGTH
              + " characters: it is sent as webhook-id");
    }
    return Optional.empty();
  }
}
