package dev.herald.delivery;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.endpoint.EndpointSettings;
import dev.herald.endpoint.InvalidEndpointException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished deliveries that retention no longer keeps: each one {@code ttlAfterFinished}
 * after it finished, and per endpoint all but the newest {@code keep}. It works from the trimmed
 * copies of {@link FinishedDeliveries}, so history costs no reconcile and no full copy in memory.
 */
final class HistorySweeper {
  private static final Logger LOG = LoggerFactory.getLogger(HistorySweeper.class);

  private final KubernetesClient client;
  private final Supplier<List<WebhookDelivery>> finished;
  private final Function<ResourceID, Optional<WebhookEndpoint>> endpoints;
  private final Clock clock;

  HistorySweeper(
      KubernetesClient client,
      Supplier<List<WebhookDelivery>> finished,
      Function<ResourceID, Optional<WebhookEndpoint>> endpoints,
      Clock clock) {
    this.client = client;
    this.finished = finished;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /** One pass: deletes at most {@link HistoryLimits#BATCH} deliveries; returns how many. */
  int sweep() {
    List<WebhookDelivery> due = due(finished.get(), endpoints, clock.instant());
    for (WebhookDelivery d : due) {
      client
          .resources(WebhookDelivery.class)
          .inNamespace(d.getMetadata().getNamespace())
          .withName(d.getMetadata().getName())
          .delete();
    }
    if (!due.isEmpty()) {
      LOG.debug("history: deleted {} finished deliveries", due.size());
    }
    return due.size();
  }

  /**
   * Expired ones first, then those beyond keep, at most {@link HistoryLimits#BATCH}. A delivery
   * whose replay is pending is left alone: it is about to run again.
   */
  static List<WebhookDelivery> due(
      List<WebhookDelivery> finished,
      Function<ResourceID, Optional<WebhookEndpoint>> endpoints,
      Instant now) {
    Map<ResourceID, List<WebhookDelivery>> byEndpoint =
        finished.stream()
            .filter(d -> !DeliveryStatuses.replayRequested(d))
            .collect(
                Collectors.groupingBy(
                    d ->
                        new ResourceID(
                            DeliveryIndex.endpointName(d), d.getMetadata().getNamespace())));
    Map<String, WebhookDelivery> due = new LinkedHashMap<>();
    List<WebhookDelivery> beyondKeep = new ArrayList<>();
    for (var group : byEndpoint.entrySet()) {
      EndpointSettings.History history = history(endpoints.apply(group.getKey()).orElse(null));
      for (WebhookDelivery d : group.getValue()) {
        Instant expiry = HistoryLimits.expiry(d.getStatus(), history.ttlAfterFinished());
        if (expiry != null && !now.isBefore(expiry)) {
          due.putIfAbsent(d.getMetadata().getUid(), d);
        }
      }
      beyondKeep.addAll(HistoryLimits.beyondKeep(group.getValue(), history.keep()));
    }
    beyondKeep.forEach(d -> due.putIfAbsent(d.getMetadata().getUid(), d));
    return due.values().stream().limit(HistoryLimits.BATCH).toList();
  }

  /** The endpoint's history settings; defaults when it is gone or its spec is invalid. */
  static EndpointSettings.History history(WebhookEndpoint endpoint) {
    if (endpoint != null && endpoint.getMetadata().getDeletionTimestamp() == null) {
      try {
        EndpointSettings settings = EndpointSettings.of(endpoint.getSpec());
        return new EndpointSettings.History(settings.ttlAfterFinished(), settings.keep());
      } catch (InvalidEndpointException e) {
        // fall through: an invalid spec must not make history grow without bound
      }
    }
    return EndpointSettings.History.DEFAULT;
  }
}
