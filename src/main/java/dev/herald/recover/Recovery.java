package dev.herald.recover;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.delivery.DeliveryStatuses;
import dev.herald.kube.KubeJson;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the deliveries a {@link RecoverFilter} selects and replays each by setting {@code
 * herald.dev/replay}, as {@code kubectl annotate} would. Finding comes first and keeps only names,
 * so the total is known for the progress bar and memory does not hold payloads.
 */
public final class Recovery {
  /** Page size of the list: deliveries carry payloads, so pages stay small. */
  static final long PAGE = 250;

  /** A delivery to replay; {@code replayPending} when a replay asked earlier is not done yet. */
  public record Target(
      String namespace,
      String name,
      String endpoint,
      DeliveryPhase phase,
      Instant created,
      Instant lastAttempt,
      boolean replayPending) {}

  /** What a recovery did; {@code failures} names each delivery that could not be annotated. */
  public record Summary(
      int matched, int replayed, int alreadyReplaying, int gone, List<String> failures) {}

  /** Told after each delivery. */
  @FunctionalInterface
  public interface Progress {
    void advanced(int done, int total);
  }

  private final KubernetesClient client;

  public Recovery(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @param namespace null: every namespace
   * @param labelSelector narrows the list on the server; null: none
   */
  public List<Target> find(String namespace, String labelSelector, RecoverFilter filter) {
    var all = client.resources(WebhookDelivery.class);
    FilterWatchListDeletable<
            WebhookDelivery, KubernetesResourceList<WebhookDelivery>, Resource<WebhookDelivery>>
        scope = namespace == null ? all.inAnyNamespace() : all.inNamespace(namespace);
    if (labelSelector != null && !labelSelector.isBlank()) {
      scope = scope.withLabelSelector(labelSelector);
    }
    List<Target> found = new ArrayList<>();
    String next = null;
    do {
      KubernetesResourceList<WebhookDelivery> page =
          scope.list(new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build());
      for (WebhookDelivery d : page.getItems()) {
        if (filter.matches(d)) {
          found.add(target(d));
        }
      }
      next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return found;
  }

  private static Target target(WebhookDelivery d) {
    return new Target(
        d.getMetadata().getNamespace(),
        d.getMetadata().getName(),
        d.getSpec().getEndpointRef().getName(),
        d.getStatus().getPhase(),
        RecoverFilter.TimeField.created.of(d),
        RecoverFilter.TimeField.lastAttempt.of(d),
        DeliveryStatuses.replayRequested(d));
  }

  /**
   * Sets {@code herald.dev/replay=value} on every target whose replay is not already pending. A
   * delivery deleted since it was found is counted as gone, not as a failure.
   */
  public Summary replay(List<Target> targets, String value, Progress progress) {
    String patch = annotation(value);
    int replayed = 0;
    int pending = 0;
    int gone = 0;
    List<String> failures = new ArrayList<>();
    int done = 0;
    for (Target t : targets) {
      if (t.replayPending()) {
        pending++;
      } else {
        try {
          WebhookDelivery patched =
              client
                  .resources(WebhookDelivery.class)
                  .inNamespace(t.namespace())
                  .withName(t.name())
                  .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
          if (patched == null) {
            gone++;
          } else {
            replayed++;
          }
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404) {
            gone++;
          } else {
            failures.add(t.namespace() + "/" + t.name() + ": " + e.getMessage());
          }
        }
      }
      progress.advanced(++done, targets.size());
    }
    return new Summary(targets.size(), replayed, pending, gone, List.copyOf(failures));
  }

  static String annotation(String value) {
    return KubeJson.serialization()
        .asJson(Map.of("metadata", Map.of("annotations", Map.of(Herald.ANNOTATION_REPLAY, value))));
  }
}
