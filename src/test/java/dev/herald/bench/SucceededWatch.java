package dev.herald.bench;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches a namespace's deliveries and notes when each was first seen Succeeded (System.nanoTime).
 */
final class SucceededWatch implements AutoCloseable {
  private final Map<String, Long> succeeded = new ConcurrentHashMap<>();

  /**
   * When each delivery was first seen at all: the API server's watch, as a second client sees it.
   */
  private final Map<String, Long> seen = new ConcurrentHashMap<>();

  private final SharedIndexInformer<WebhookDelivery> informer;

  SucceededWatch(KubernetesClient client, String namespace) {
    informer =
        client
            .resources(WebhookDelivery.class)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(WebhookDelivery delivery) {
                    note(delivery);
                  }

                  @Override
                  public void onUpdate(WebhookDelivery old, WebhookDelivery delivery) {
                    note(delivery);
                  }

                  @Override
                  public void onDelete(WebhookDelivery delivery, boolean unknownFinalState) {
                    // retention may delete finished deliveries; their Succeeded update came first
                  }
                });
  }

  private void note(WebhookDelivery delivery) {
    seen.putIfAbsent(delivery.getMetadata().getName(), System.nanoTime());
    if (delivery.getStatus() != null
        && delivery.getStatus().getPhase() == DeliveryPhase.Succeeded) {
      succeeded.putIfAbsent(delivery.getMetadata().getName(), System.nanoTime());
    }
  }

  /** Waits until {@code names} all succeeded; returns false on timeout. */
  boolean await(Collection<String> names, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (succeeded.keySet().containsAll(names)) {
        return true;
      }
      Bench.pause(100);
    }
    return false;
  }

  Long at(String name) {
    return succeeded.get(name);
  }

  Long seenAt(String name) {
    return seen.get(name);
  }

  int count() {
    return succeeded.size();
  }

  @Override
  public void close() {
    informer.close();
  }
}
