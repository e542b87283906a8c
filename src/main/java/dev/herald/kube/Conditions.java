package dev.herald.kube;

import dev.herald.api.v1alpha1.ConditionReason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Kubernetes-style conditions: lastTransitionTime only moves when the status flips. */
public final class Conditions {
  public static final String READY = "Ready";

  private Conditions() {}

  public static List<Condition> set(
      List<Condition> current,
      String type,
      boolean status,
      ConditionReason reason,
      String message,
      Long generation,
      Instant now) {
    return set(current, type, status, reason.name(), message, generation, now);
  }

  private static List<Condition> set(
      List<Condition> current,
      String type,
      boolean status,
      String reason,
      String message,
      Long generation,
      Instant now) {
    List<Condition> result = current == null ? new ArrayList<>() : new ArrayList<>(current);
    String statusText = status ? "True" : "False";
    Optional<Condition> existing = find(result, type);
    String transition =
        existing
            .filter(c -> statusText.equals(c.getStatus()) && c.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElse(Times.format(now));
    Condition updated =
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build();
    result.removeIf(c -> type.equals(c.getType()));
    result.add(updated);
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** The reason of a condition, to emit an Event only when it changes (no Event floods). */
  public static String reasonOf(List<Condition> conditions, String type) {
    return find(conditions, type).map(Condition::getReason).orElse(null);
  }

  public static boolean reasonChanged(List<Condition> before, List<Condition> after, String type) {
    return !Objects.equals(reasonOf(before, type), reasonOf(after, type));
  }
}
