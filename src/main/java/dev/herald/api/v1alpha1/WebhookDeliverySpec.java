package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookDeliverySpec {
  @Required
  @JsonPropertyDescription("The endpoint to deliver to.")
  private EndpointRef endpointRef;

  @Required
  @Size(min = 1, max = Schemas.EVENT_TYPE_MAX_LENGTH)
  @Pattern(Schemas.HEADER_SAFE_TEXT)
  @JsonPropertyDescription(
      "Event type, e.g. order.created; sent as webhook-event-type. Printable ASCII, at most 253"
          + " characters.")
  private String eventType;

  @Required
  @PreserveUnknownFields
  @JsonPropertyDescription("JSON object sent as the request body.")
  private ObjectNode payload;

  @Size(min = 1, max = 253)
  @Pattern(Schemas.HEADER_SAFE_ID)
  @JsonPropertyDescription(
      "Printable ASCII without spaces, at most 253 characters. Sent as webhook-id and never changes, so receivers can dedupe; default metadata.uid.")
  private String deliveryId;

  @JsonPropertyDescription(
      "Optional W3C trace context of the producer: its traceparent (and tracestate) go with every attempt, so the receiver's trace joins the producer's.")
  private TraceContext traceContext;

  public EndpointRef getEndpointRef() {
    return endpointRef;
  }

  public void setEndpointRef(EndpointRef endpointRef) {
    this.endpointRef = endpointRef;
  }

  public String getEventType() {
    return eventType;
  }

  public void setEventType(String eventType) {
    this.eventType = eventType;
  }

  public ObjectNode getPayload() {
    return payload;
  }

  public void setPayload(ObjectNode payload) {
    this.payload = payload;
  }

  public String getDeliveryId() {
    return deliveryId;
  }

  public void setDeliveryId(String deliveryId) {
    this.deliveryId = deliveryId;
  }

  public TraceContext getTraceContext() {
    return traceContext;
  }

  public void setTraceContext(TraceContext traceContext) {
    this.traceContext = traceContext;
  }
}
