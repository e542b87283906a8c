package dev.herald.delivery;

import dev.herald.api.v1alpha1.DeliveryReason;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.Patches;
import dev.herald.kube.StatusWrites;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write to a delivery: its status, its labels and the Event of a changed Ready reason. It
 * remembers the resourceVersion of each write ({@link WrittenVersions}), and the deliveries the API
 * server refuses every write for, which are then left alone until the operator restarts so that one
 * of them cannot make Herald send, or write, in a loop.
 */
final class DeliveryWrites {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWrites.class);

  private final EventRecorder events;
  private final WrittenVersions versions = new WrittenVersions();
  private final Set<String> unwritable = ConcurrentHashMap.newKeySet();

  DeliveryWrites(EventRecorder events) {
    this.events = events;
  }

  boolean unwritable(WebhookDelivery delivery) {
    return unwritable.contains(delivery.getMetadata().getUid());
  }

  /** True when the cached copy holds every write this process made to it. */
  boolean holdsOurWrites(WebhookDelivery cached) {
    return versions.holdsOurWrites(cached);
  }

  /** Writes the status and then the labels a decision computed, each only if it changed. */
  void statusAndLabels(KubernetesClient client, WebhookDelivery delivery, WebhookDeliveryStatus s) {
    if (DeliveryStatuses.changed(delivery, s)) {
      try {
        versions.wrote(Patches.replaceStatus(client, WebhookDelivery.class, delivery, s));
        announce(delivery, s);
      } catch (KubernetesClientException e) {
        if (!StatusWrites.neverSucceeds(e)) {
          throw e;
        }
        giveUp(delivery, "the API server refuses its status (" + refusal(e) + ")");
      }
    }
    labels(client, delivery, s);
  }

  /**
   * Writes a recorded attempt's status, only over the status it was computed on (a JSON Patch
   * "test" of it): a second writer's record is never overwritten.
   */
  void statusIfUnchanged(KubernetesClient client, WebhookDelivery base, WebhookDeliveryStatus s) {
    versions.wrote(Patches.replaceStatusIfUnchanged(client, WebhookDelivery.class, base, s));
    announce(base, s);
  }

  /** After the status, so a label never claims a phase the status does not show yet. */
  void labels(KubernetesClient client, WebhookDelivery delivery, WebhookDeliveryStatus s) {
    if (DeliveryStatuses.labelsChanged(delivery, s)) {
      try {
        versions.wrote(
            Patches.mergeLabels(
                client, WebhookDelivery.class, delivery, DeliveryStatuses.labels(delivery, s)));
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return; // deleted since its status was written: nothing left to label
        }
        if (!StatusWrites.neverSucceeds(e)) {
          throw e;
        }
        giveUp(delivery, "the API server refuses its phase label (" + refusal(e) + ")");
      }
    }
  }

  private void announce(WebhookDelivery delivery, WebhookDeliveryStatus written) {
    DeliveryStatuses.announcement(delivery, written)
        .ifPresent(
            ready -> {
              DeliveryReason reason = DeliveryReason.parse(ready.getReason());
              if (reason != null) {
                events.emit(delivery, reason, ready.getMessage());
              } else {
                events.warning(delivery, ready.getReason(), ready.getMessage());
              }
            });
  }

  /**
   * Nothing can be written to the delivery: say so once, and leave it alone while this process
   * runs.
   */
  void giveUp(WebhookDelivery delivery, String why) {
    if (unwritable.add(delivery.getMetadata().getUid())) {
      String message =
          why
              + "; Herald leaves this delivery alone (it is tried once more after an operator restart):"
              + " make it smaller or delete it";
      LOG.warn(
          "delivery {}/{}: {}",
          delivery.getMetadata().getNamespace(),
          delivery.getMetadata().getName(),
          message);
      events.emit(delivery, DeliveryReason.StatusRejected, message);
    }
  }

  /** What the API server said, short: never the object, which its message does not quote anyway. */
  static String refusal(KubernetesClientException e) {
    String message =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    return e.getCode() + " " + DeliveryStatuses.cut(message, 200);
  }
}
