package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookEventSpec {
  public static final int MAX_ENDPOINTS = 100;

  @Required
  @Size(min = 1, max = Schemas.EVENT_TYPE_MAX_LENGTH)
  @Pattern(Schemas.HEADER_SAFE_TEXT)
  @JsonPropertyDescription(
      "Event type, e.g. order.created; endpoints whose spec.eventTypes match receive it."
          + " Printable ASCII, at most 253 characters.")
  private String eventType;

  @Required
  @PreserveUnknownFields
  @JsonPropertyDescription("JSON object sent as the request body to every subscribed endpoint.")
  private ObjectNode payload;

  @Size(min = 1, max = 200)
  @Pattern(Schemas.HEADER_SAFE_ID)
  @JsonPropertyDescription(
      "The producer's id of the event (printable ASCII without spaces); default metadata.uid. Publishing the same id again"
          + " creates no further deliveries. Sent as webhook-id.")
  private String eventId;

  @Size(max = MAX_ENDPOINTS)
  @JsonPropertyDescription(
      "Optional: only these WebhookEndpoints (by name, at most 100) receive the event, together"
          + " with those endpointSelector selects; each must still subscribe to eventType.")
  private List<
          @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH) @Pattern(Schemas.OBJECT_NAME) String>
      endpoints;

  @JsonPropertyDescription(
      "Optional: only the WebhookEndpoints whose labels this selects receive the event, together"
          + " with those named in endpoints; each must still subscribe to eventType.")
  private EndpointSelector endpointSelector;

  @JsonPropertyDescription(
      "Optional W3C trace context of the producer: its traceparent (and tracestate) go with every attempt, the event's first attempts and its deliveries' alike, so the receivers' traces join the producer's.")
  private TraceContext traceContext;

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

  public String getEventId() {
    return eventId;
  }

  public void setEventId(String eventId) {
    this.eventId = eventId;
  }

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }

  public EndpointSelector getEndpointSelector() {
    return endpointSelector;
  }

  public void setEndpointSelector(EndpointSelector endpointSelector) {
    this.endpointSelector = endpointSelector;
  }

  public TraceContext getTraceContext() {
    return traceContext;
  }

  public void setTraceContext(TraceContext traceContext) {
    this.traceContext = traceContext;
  }
}
