package dev.herald.api.v1alpha1;

import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;

/**
 * A list of deliveries as the API server writes it, registered with the client's serialization
 * (kube.KubeJson) so that a response of that kind is read as a list: the answer to a collection
 * delete names what it deleted only when it is.
 */
public class WebhookDeliveryList extends DefaultKubernetesResourceList<WebhookDelivery> {
  private static final long serialVersionUID = 1L;

  public static final String KIND = "WebhookDeliveryList";
}
