package dev.herald.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.v1alpha1.EndpointRef;
import dev.herald.api.v1alpha1.RetrySpec;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/** Builders for the custom resources tests create. */
public final class Resources {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Resources() {}

  public static WebhookEndpoint endpoint(
      String namespace, String name, String url, String... schedule) {
    WebhookEndpoint endpoint = new WebhookEndpoint();
    endpoint.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    WebhookEndpointSpec spec = new WebhookEndpointSpec();
    spec.setUrl(url);
    spec.setTimeout("5s");
    RetrySpec retry = new RetrySpec();
    retry.setSchedule(List.of(schedule));
    spec.setRetry(retry);
    endpoint.setSpec(spec);
    return endpoint;
  }

  public static WebhookDelivery delivery(
      String namespace, String name, String endpoint, String json) {
    WebhookDelivery delivery = new WebhookDelivery();
    delivery.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    WebhookDeliverySpec spec = new WebhookDeliverySpec();
    spec.setEndpointRef(new EndpointRef(endpoint));
    spec.setEventType("order.created");
    try {
      spec.setPayload((ObjectNode) JSON.readTree(json));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
    delivery.setSpec(spec);
    return delivery;
  }

  /**
   * {@code edit} as a user retries {@code kubectl edit}: the operator writes endpoint status
   * concurrently (health is written in the background), so an edit may meet a 409 and try again.
   */
  public static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T editRetrying(
      io.fabric8.kubernetes.client.dsl.Resource<T> resource,
      java.util.function.UnaryOperator<T> change) {
    for (int i = 0; ; i++) {
      try {
        return resource.edit(change);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || i >= 20) {
          throw e;
        }
      }
    }
  }
}
