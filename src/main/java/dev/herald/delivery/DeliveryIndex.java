package dev.herald.delivery;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.kube.Times;
import dev.herald.metrics.HeraldMetrics;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Questions about many deliveries at once, answered from the controller's informer cache without
 * API calls: an endpoint's deliveries (endpoint wake-ups, fifo) and the pending gauges. The cache
 * holds unfinished deliveries only (finished ones leave it when their phase label is written), so
 * every question here is about work in flight. It may lag our own writes; each caller tolerates
 * that (a fifo delivery waits one poll longer, a gauge is refreshed again in seconds).
 */
final class DeliveryIndex {
  static final String BY_ENDPOINT = "herald-endpoint";

  /**
   * Page size of the delivery informers' initial lists (in flight and finished), so a large backlog
   * is not fetched in one response.
   */
  static final long LIST_LIMIT = 500;

  private static final Comparator<WebhookDelivery> CREATION_ORDER =
      Comparator.comparing(
              (WebhookDelivery d) -> Times.parse(d.getMetadata().getCreationTimestamp()))
          .thenComparing(d -> d.getMetadata().getName());

  private volatile IndexerResourceCache<WebhookDelivery> cache;

  /** Called once, when JOSDK prepares the event sources. */
  void attach(IndexerResourceCache<WebhookDelivery> primaryCache) {
    primaryCache.addIndexer(
        BY_ENDPOINT, d -> List.of(key(d.getMetadata().getNamespace(), endpointName(d))));
    this.cache = primaryCache;
  }

  List<WebhookDelivery> ofEndpoint(String namespace, String endpoint) {
    IndexerResourceCache<WebhookDelivery> c = cache;
    return c == null ? List.of() : c.byIndex(BY_ENDPOINT, key(namespace, endpoint));
  }

  /**
   * The oldest unfinished delivery of the same endpoint created before this one (creation time,
   * then name).
   */
  Optional<WebhookDelivery> earlierUnfinished(WebhookDelivery delivery) {
    return ofEndpoint(delivery.getMetadata().getNamespace(), endpointName(delivery)).stream()
        .filter(d -> !d.getMetadata().getUid().equals(delivery.getMetadata().getUid()))
        .filter(d -> !DeliveryStatuses.finished(d))
        .filter(d -> CREATION_ORDER.compare(d, delivery) < 0)
        .min(CREATION_ORDER);
  }

  /** Unfinished deliveries per endpoint, and the age of the oldest. */
  List<HeraldMetrics.Pending> pending(Instant now) {
    IndexerResourceCache<WebhookDelivery> c = cache;
    if (c == null) {
      return List.of();
    }
    Map<List<String>, List<WebhookDelivery>> byEndpoint =
        c.list()
            .filter(d -> !DeliveryStatuses.finished(d))
            .collect(
                Collectors.groupingBy(
                    d -> List.of(d.getMetadata().getNamespace(), endpointName(d))));
    return byEndpoint.entrySet().stream()
        .map(
            e ->
                new HeraldMetrics.Pending(
                    e.getKey().get(0),
                    e.getKey().get(1),
                    e.getValue().size(),
                    e.getValue().stream()
                        .map(d -> Times.parse(d.getMetadata().getCreationTimestamp()))
                        .filter(Objects::nonNull)
                        .min(Instant::compareTo)
                        .map(created -> Duration.between(created, now))
                        .orElse(Duration.ZERO)))
        .toList();
  }

  static String endpointName(WebhookDelivery d) {
    return d.getSpec() == null || d.getSpec().getEndpointRef() == null
        ? ""
        : d.getSpec().getEndpointRef().getName();
  }

  static String key(String namespace, String endpoint) {
    return namespace + "/" + endpoint;
  }
}
