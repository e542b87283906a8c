package dev.herald.event;

import dev.herald.api.v1alpha1.EndpointSelector;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEventSpec;
import dev.herald.endpoint.EventTypes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which endpoints an event is for: those it targets ({@code spec.endpoints} by name and {@code
 * spec.endpointSelector} by label, either one sufficing; every endpoint of the namespace when it
 * names none and selects none) that subscribe to its type. Targeting narrows, it never overrides an
 * endpoint's {@code spec.eventTypes}: the endpoint's owner chose what it receives.
 */
final class Targets {
  /** How many named-but-not-reached endpoints the Ready message lists. */
  static final int MAX_UNREACHED_NAMED = 5;

  private Targets() {}

  /**
   * @param subscribers the endpoints that receive the event, by name
   * @param unreached named endpoints that do not exist (in this shard) or do not subscribe, each
   *     with the reason, at most {@link #MAX_UNREACHED_NAMED}
   * @param unreachedCount how many named endpoints are not reached in all
   */
  record Audience(List<WebhookEndpoint> subscribers, List<String> unreached, int unreachedCount) {}

  static Audience of(WebhookEventSpec spec, List<WebhookEndpoint> endpoints) {
    Set<String> named = spec.getEndpoints() == null ? Set.of() : new TreeSet<>(spec.getEndpoints());
    EndpointSelector selector = spec.getEndpointSelector();
    boolean everyone = named.isEmpty() && selector == null;
    List<WebhookEndpoint> subscribers = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    List<String> unreached = new ArrayList<>();
    int unreachedCount = 0;
    for (WebhookEndpoint e :
        endpoints.stream()
            .filter(e -> e.getMetadata().getDeletionTimestamp() == null && e.getSpec() != null)
            .sorted(Comparator.comparing(e -> e.getMetadata().getName()))
            .toList()) {
      String name = e.getMetadata().getName();
      boolean isNamed = named.contains(name);
      seen.add(name);
      if (!everyone && !isNamed && !LabelSelectors.matches(selector, e.getMetadata().getLabels())) {
        continue;
      }
      if (EventTypes.matches(e.getSpec().getEventTypes(), spec.getEventType())) {
        subscribers.add(e);
      } else if (isNamed) {
        unreachedCount++;
        if (unreached.size() < MAX_UNREACHED_NAMED) {
          unreached.add(name + " does not subscribe to " + spec.getEventType());
        }
      }
    }
    for (String name : named) {
      if (!seen.contains(name)) {
        unreachedCount++;
        if (unreached.size() < MAX_UNREACHED_NAMED) {
          unreached.add(name + " not found");
        }
      }
    }
    return new Audience(List.copyOf(subscribers), List.copyOf(unreached), unreachedCount);
  }

  /** Kubernetes label selector semantics for {@link EndpointSelector}. */
  static final class LabelSelectors {
    private LabelSelectors() {}

    /** A null selector selects nothing (the caller decides what "no selector" means). */
    static boolean matches(EndpointSelector selector, Map<String, String> labels) {
      if (selector == null) {
        return false;
      }
      Map<String, String> have = labels == null ? Map.of() : labels;
      if (selector.getMatchLabels() != null
          && !selector.getMatchLabels().entrySet().stream()
              .allMatch(l -> l.getValue() != null && l.getValue().equals(have.get(l.getKey())))) {
        return false;
      }
      if (selector.getMatchExpressions() == null) {
        return true;
      }
      for (EndpointSelector.Requirement r : selector.getMatchExpressions()) {
        if (r == null || r.getKey() == null || r.getOperator() == null) {
          return false; // the schema requires both: an older CRD let it in; select nothing
        }
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean present = have.containsKey(r.getKey());
        boolean ok =
            switch (r.getOperator()) {
              case "In" -> present && values.contains(have.get(r.getKey()));
              case "NotIn" -> !present || !values.contains(have.get(r.getKey()));
              case "Exists" -> present;
              case "DoesNotExist" -> !present;
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }
}
