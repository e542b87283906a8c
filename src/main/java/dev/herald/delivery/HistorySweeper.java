package dev.herald.delivery;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.endpoint.EndpointSettings;
import dev.herald.endpoint.InvalidEndpointException;
import dev.herald.kube.Times;
import dev.herald.retention.Evictions;
import dev.herald.retention.FinishedBudget;
import dev.herald.retention.ParallelDeletions;
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
 * after it finished, per endpoint all but the newest {@code keep}, and per namespace and cluster
 * what is beyond the budget of finished deliveries ({@link FinishedBudget}). It works from the
 * trimmed copies of {@link FinishedDeliveries}, so history costs no reconcile and no full copy in
 * memory; it runs on their one thread, in batches whose deletions go side by side.
 */
final class HistorySweeper {
  private static final Logger LOG = LoggerFactory.getLogger(HistorySweeper.class);

  /** A delivery to delete and why. */
  record Due(WebhookDelivery delivery, Evictions.Reason reason, FinishedBudget.Scope scope) {}

  private final KubernetesClient client;
  private final Supplier<List<WebhookDelivery>> finished;
  private final Function<ResourceID, Optional<WebhookEndpoint>> endpoints;
  private final Clock clock;
  private final FinishedBudget budget;
  private final Evictions evictions;
  private final ParallelDeletions deletions = new ParallelDeletions("herald-history-delete");

  HistorySweeper(
      KubernetesClient client,
      Supplier<List<WebhookDelivery>> finished,
      Function<ResourceID, Optional<WebhookEndpoint>> endpoints,
      Clock clock,
      FinishedBudget budget,
      Evictions evictions) {
    this.client = client;
    this.finished = finished;
    this.endpoints = endpoints;
    this.clock = clock;
    this.budget = budget;
    this.evictions = evictions;
  }

  /** One pass: deletes at most {@link HistoryLimits#BATCH} deliveries; returns how many. */
  int sweep() {
    List<Due> due = due(finished.get(), endpoints, clock.instant(), budget);
    List<Due> deleted =
        deletions.run(
            due,
            // nothing to delete: an earlier pass did, and the informer has not yet heard
            d ->
                !client
                    .resources(WebhookDelivery.class)
                    .inNamespace(d.delivery().getMetadata().getNamespace())
                    .withName(d.delivery().getMetadata().getName())
                    .delete()
                    .isEmpty());
    for (Due d : deleted) {
      evictions.deleted(d.delivery(), d.reason(), budget, d.scope());
    }
    if (!due.isEmpty()) {
      LOG.debug("history: deleted {} of {} finished deliveries due", deleted.size(), due.size());
    }
    return due.size();
  }

  /** Expired ones and those beyond keep, without a budget (what the tests of those read). */
  static List<WebhookDelivery> due(
      List<WebhookDelivery> finished,
      Function<ResourceID, Optional<WebhookEndpoint>> endpoints,
      Instant now) {
    return due(finished, endpoints, now, FinishedBudget.NONE).stream().map(Due::delivery).toList();
  }

  /**
   * Expired ones first, then those beyond keep, then those beyond the budget (counted without the
   * ones before), at most {@link HistoryLimits#BATCH}. A delivery whose replay is pending is left
   * alone: it is about to run again.
   */
  static List<Due> due(
      List<WebhookDelivery> finished,
      Function<ResourceID, Optional<WebhookEndpoint>> endpoints,
      Instant now,
      FinishedBudget budget) {
    List<WebhookDelivery> candidates =
        finished.stream().filter(d -> !DeliveryStatuses.replayRequested(d)).toList();
    Map<ResourceID, List<WebhookDelivery>> byEndpoint =
        candidates.stream()
            .collect(
                Collectors.groupingBy(
                    d ->
                        new ResourceID(
                            DeliveryIndex.endpointName(d), d.getMetadata().getNamespace())));
    Map<String, Due> due = new LinkedHashMap<>();
    List<WebhookDelivery> beyondKeep = new ArrayList<>();
    for (var group : byEndpoint.entrySet()) {
      EndpointSettings.History history = history(endpoints.apply(group.getKey()).orElse(null));
      for (WebhookDelivery d : group.getValue()) {
        Instant expiry = HistoryLimits.expiry(d.getStatus(), history.ttlAfterFinished());
        if (expiry != null && !now.isBefore(expiry)) {
          due.putIfAbsent(d.getMetadata().getUid(), new Due(d, Evictions.Reason.ttl, null));
        }
      }
      beyondKeep.addAll(HistoryLimits.beyondKeep(group.getValue(), history.keep()));
    }
    beyondKeep.forEach(
        d -> due.putIfAbsent(d.getMetadata().getUid(), new Due(d, Evictions.Reason.keep, null)));
    if (due.size() < HistoryLimits.BATCH) {
      // the budget counts what stays after TTL and keep; it sees only finished deliveries, and
      // among them only those that carry a completion time are candidates
      List<FinishedBudget.Finished<WebhookDelivery>> staying =
          candidates.stream()
              .filter(d -> !due.containsKey(d.getMetadata().getUid()))
              .filter(DeliveryStatuses::finished)
              .map(HistorySweeper::asFinished)
              .toList();
      for (var e : budget.evictions(staying, HistoryLimits.BATCH - due.size())) {
        WebhookDelivery d = e.finished().object();
        due.putIfAbsent(d.getMetadata().getUid(), new Due(d, Evictions.Reason.budget, e.scope()));
      }
    }
    return due.values().stream().limit(HistoryLimits.BATCH).toList();
  }

  static FinishedBudget.Finished<WebhookDelivery> asFinished(WebhookDelivery d) {
    return new FinishedBudget.Finished<>(
        d,
        d.getMetadata().getNamespace(),
        d.getMetadata().getName(),
        d.getStatus().getPhase() == DeliveryPhase.Succeeded,
        Times.parse(d.getStatus().getCompletionTime()));
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
