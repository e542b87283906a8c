package dev.herald.event;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.EndpointOutcome;
import dev.herald.api.v1alpha1.EventReason;
import dev.herald.api.v1alpha1.WebhookEventStatus;
import dev.herald.kube.Conditions;
import dev.herald.kube.Times;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The one home of what a published event's status says: where it went for each endpoint (a bounded
 * list, exact counts), and its Ready condition.
 */
final class EventStatuses {
  /** How many conflicts the Ready message names. */
  static final int MAX_CONFLICTS_NAMED = 3;

  private EventStatuses() {}

  /**
   * What went wrong or is worth knowing beyond the outcomes.
   *
   * @param conflicts names taken by objects that are not this event's (each described)
   * @param unreached named endpoints not reached, each with the reason (bounded), and how many
   * @param duplicateOf the published event with the same eventId this one repeats, or null
   */
  record Notes(
      List<String> conflicts,
      List<String> unreached,
      int unreachedCount,
      String duplicateOf,
      String eventType,
      String namespace) {}

  /** Failed first (they need attention), then pending, then succeeded; by endpoint name within. */
  private static final Comparator<EndpointOutcome> LISTED =
      Comparator.comparingInt((EndpointOutcome o) -> rank(o.getPhase()))
          .thenComparing(EndpointOutcome::getEndpoint);

  private static int rank(DeliveryPhase phase) {
    return switch (phase) {
      case Failed, Exhausted, Cancelled -> 0;
      case Pending -> 1;
      case Succeeded -> 2;
    };
  }

  static WebhookEventStatus compose(
      List<EndpointOutcome> outcomes, Notes notes, Long generation, Instant now) {
    WebhookEventStatus status = new WebhookEventStatus();
    // bounded like the outcomes: an event to every endpoint of a large namespace stays one small
    // object
    status.setDeliveries(outcomes.size());
    status.setEndpoints(
        outcomes.stream()
            .map(EndpointOutcome::getEndpoint)
            .sorted()
            .limit(WebhookEventStatus.MAX_OUTCOMES)
            .toList());
    status.setFanOutTime(Times.format(now));
    status.setObservedGeneration(generation);
    int succeeded = count(outcomes, DeliveryPhase.Succeeded);
    int pending = count(outcomes, DeliveryPhase.Pending);
    int failed = outcomes.size() - succeeded - pending;
    status.setSucceeded(succeeded);
    status.setFailed(failed);
    status.setPending(pending);
    List<EndpointOutcome> listed =
        outcomes.stream().sorted(LISTED).limit(WebhookEventStatus.MAX_OUTCOMES).toList();
    status.setOutcomes(listed);
    status.setOutcomesOmitted(outcomes.size() - listed.size());

    StringBuilder message = new StringBuilder();
    if (notes.duplicateOf() != null) {
      message.append(
          "existed already (same eventId as WebhookEvent "
              + notes.duplicateOf()
              + "): nothing sent again");
    } else if (outcomes.isEmpty()) {
      message.append("no endpoint in " + notes.namespace() + " subscribes to " + notes.eventType());
    } else {
      message.append("published to ").append(outcomes.size()).append(" endpoints: ");
      message.append(succeeded).append(" delivered at the first attempt, ");
      message.append(failed).append(" failed (their deliveries retry), ");
      message.append(pending).append(" sent through deliveries");
    }
    if (notes.unreachedCount() > 0) {
      message
          .append("; named but not reached: ")
          .append(String.join(", ", notes.unreached()))
          .append(
              notes.unreachedCount() > notes.unreached().size()
                  ? " and " + (notes.unreachedCount() - notes.unreached().size()) + " more"
                  : "");
    }
    List<String> conflicts = notes.conflicts();
    boolean conflict = !conflicts.isEmpty();
    if (conflict) {
      message.append("; ").append(conflictText(conflicts));
    }
    status.setConditions(
        Conditions.set(
            null,
            Conditions.READY,
            !conflict,
            conflict
                ? EventReason.Conflict
                : outcomes.isEmpty() && notes.duplicateOf() == null
                    ? EventReason.NoSubscribers
                    : EventReason.Published,
            message.toString(),
            generation,
            now));
    return status;
  }

  /** Bounded: a namespace may have thousands of endpoints, all taken by one hostile object each. */
  static String conflictText(List<String> conflicts) {
    return String.join("; ", conflicts.subList(0, Math.min(conflicts.size(), MAX_CONFLICTS_NAMED)))
        + (conflicts.size() > MAX_CONFLICTS_NAMED
            ? "; and " + (conflicts.size() - MAX_CONFLICTS_NAMED) + " more"
            : "");
  }

  private static int count(List<EndpointOutcome> outcomes, DeliveryPhase phase) {
    return (int) outcomes.stream().filter(o -> o.getPhase() == phase).count();
  }
}
