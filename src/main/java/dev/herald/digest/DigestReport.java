package dev.herald.digest;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointPhase;
import dev.herald.api.v1alpha1.ErrorInfo;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a digest tells: the failing endpoints and the unprocessed deliveries of one namespace
 * (Failed, Exhausted, or Pending after at least one attempt), at most {@link #MAX_DELIVERIES}
 * deliveries listed by name with a count of the rest.
 */
public record DigestReport(
    String namespace,
    String digest,
    Instant generatedAt,
    List<FailingEndpoint> failingEndpoints,
    List<Unprocessed> deliveries,
    int unprocessedTotal) {
  public static final int MAX_DELIVERIES = 50;

  public record FailingEndpoint(
      String name, long consecutiveFailures, String lastError, String lastFailureTime) {}

  public record Unprocessed(
      String name, String endpoint, String phase, int attempts, String lastError) {}

  public boolean isEmpty() {
    return failingEndpoints.isEmpty() && unprocessedTotal == 0;
  }

  public int omitted() {
    return unprocessedTotal - deliveries.size();
  }

  /**
   * @param only endpoint names to report on; empty means all
   */
  public static DigestReport of(
      String namespace,
      String digest,
      Instant now,
      Set<String> only,
      List<WebhookEndpoint> endpoints,
      List<WebhookDelivery> deliveries) {
    List<FailingEndpoint> failing =
        endpoints.stream()
            .filter(e -> only.isEmpty() || only.contains(e.getMetadata().getName()))
            .filter(e -> e.getStatus() != null && e.getStatus().getPhase() == EndpointPhase.Failing)
            .sorted(Comparator.comparing(e -> e.getMetadata().getName()))
            .map(
                e ->
                    new FailingEndpoint(
                        e.getMetadata().getName(),
                        e.getStatus().getConsecutiveFailures() == null
                            ? 0
                            : e.getStatus().getConsecutiveFailures(),
                        text(e.getStatus().getLastError()),
                        e.getStatus().getLastFailureTime()))
            .toList();
    List<Unprocessed> unprocessed = new ArrayList<>();
    deliveries.stream()
        .filter(d -> d.getSpec() != null && d.getSpec().getEndpointRef() != null)
        .filter(d -> only.isEmpty() || only.contains(d.getSpec().getEndpointRef().getName()))
        .filter(DigestReport::unprocessed)
        .sorted(
            Comparator.comparing(
                    (WebhookDelivery d) -> d.getMetadata().getCreationTimestamp(),
                    Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(d -> d.getMetadata().getName()))
        .forEach(
            d ->
                unprocessed.add(
                    new Unprocessed(
                        d.getMetadata().getName(),
                        d.getSpec().getEndpointRef().getName(),
                        String.valueOf(d.getStatus().getPhase()),
                        d.getStatus().getAttempts() == null ? 0 : d.getStatus().getAttempts(),
                        text(d.getStatus().getLastError()))));
    int total = unprocessed.size();
    return new DigestReport(
        namespace,
        digest,
        now,
        failing,
        List.copyOf(unprocessed.subList(0, Math.min(total, MAX_DELIVERIES))),
        total);
  }

  static boolean unprocessed(WebhookDelivery d) {
    if (d.getStatus() == null || d.getStatus().getPhase() == null) {
      return false;
    }
    DeliveryPhase phase = d.getStatus().getPhase();
    int attempts = d.getStatus().getAttempts() == null ? 0 : d.getStatus().getAttempts();
    return phase == DeliveryPhase.Failed
        || phase == DeliveryPhase.Exhausted
        || (phase == DeliveryPhase.Pending && attempts > 0);
  }

  private static String text(ErrorInfo error) {
    if (error == null) {
      return null;
    }
    return error.getErrorClass() + (error.getMessage() == null ? "" : ": " + error.getMessage());
  }

  public String subject() {
    return "Herald digest for "
        + namespace
        + ": "
        + failingEndpoints.size()
        + " failing endpoint(s), "
        + unprocessedTotal
        + " unprocessed deliver"
        + (unprocessedTotal == 1 ? "y" : "ies");
  }

  /** The e-mail body: plain text. */
  public String text() {
    StringBuilder b = new StringBuilder();
    b.append("Herald digest ")
        .append(digest)
        .append(" for namespace ")
        .append(namespace)
        .append(", generated ")
        .append(generatedAt)
        .append("\n\n");
    b.append("Failing endpoints (").append(failingEndpoints.size()).append("):\n");
    if (failingEndpoints.isEmpty()) {
      b.append("  none\n");
    }
    for (FailingEndpoint e : failingEndpoints) {
      b.append("  - ")
          .append(e.name())
          .append(": ")
          .append(e.consecutiveFailures())
          .append(" consecutive failures");
      if (e.lastError() != null) {
        b.append("; last error ").append(e.lastError());
      }
      b.append('\n');
    }
    b.append("\nUnprocessed deliveries (").append(unprocessedTotal).append("):\n");
    if (unprocessedTotal == 0) {
      b.append("  none\n");
    }
    for (Unprocessed d : deliveries) {
      b.append("  - ")
          .append(d.name())
          .append(" -> ")
          .append(d.endpoint())
          .append(": ")
          .append(d.phase())
          .append(", ")
          .append(d.attempts())
          .append(" attempt(s)");
      if (d.lastError() != null) {
        b.append("; last error ").append(d.lastError());
      }
      b.append('\n');
    }
    if (omitted() > 0) {
      b.append("  ... and ").append(omitted()).append(" more\n");
    }
    return b.toString();
  }

  /** The notification webhook's body. */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "herald.digest");
    m.put("namespace", namespace);
    m.put("digest", digest);
    m.put("generatedAt", generatedAt.toString());
    m.put("failingEndpoints", failingEndpoints);
    m.put("unprocessedDeliveries", deliveries);
    m.put("unprocessedTotal", unprocessedTotal);
    m.put("omitted", omitted());
    return m;
  }
}
