package dev.herald.retention;

import dev.herald.api.Herald;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Groups a retention pass's deletions by the tenth of a second their objects finished in, so that a
 * whole group goes in one request (a delete of the collection its labels select) rather than one
 * request each. At the operator's full rate retention deletes as many objects as finish, and one
 * delete each made every delivery cost a third more of the API budget. A tenth, not a second:
 * attempts finish in bursts (the POSTs of a backlog go out faster than their status writes), and a
 * second of a burst held some 900 deliveries, more than a budget's excess ever covers at once.
 *
 * <p>A group is deleted whole only when every finished object the informer holds with its labels is
 * due (one left out would go with it), and only once its tenth lies {@link #SETTLE} in the past, so
 * the informer has heard of every object that finished in it. Due objects of a group that is not
 * wholly due wait up to {@link #MAX_WAIT} for the rest to fall due, then go one by one: a TTL, a
 * keep or a budget moves through the finished objects at the pace they finished in, so the rest of
 * a group falls due soon, however often passes come.
 */
public final class FinishedTenths {
  /** How old a tenth must be before its group may go whole: far beyond the informer's lag. */
  public static final Duration SETTLE = Duration.ofSeconds(5);

  /** How long due objects wait for the rest of their group before they go one by one. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(2);

  /** Fewer than this go one by one: a collection delete is no cheaper for a single object. */
  static final int MIN_GROUP = 2;

  private FinishedTenths() {}

  /**
   * The objects that finished in one tenth of a second in one phase of one namespace: what the
   * labels {@link Herald#LABEL_PHASE} and {@link Herald#LABEL_FINISHED} select.
   *
   * @param tenth the label's value, as {@link #label} writes it
   */
  public record Group(String namespace, String phase, String tenth) {
    /** The labels a collection delete selects this group by. */
    public Map<String, String> labels() {
      return Map.of(Herald.LABEL_PHASE, phase, Herald.LABEL_FINISHED, tenth);
    }

    /** When its tenth of a second ends. */
    Instant end() {
      int dot = tenth.indexOf('.');
      long seconds = Long.parseLong(tenth.substring(0, dot));
      int tenths = tenth.charAt(dot + 1) - '0';
      return Instant.ofEpochSecond(seconds, (tenths + 1) * 100_000_000L);
    }
  }

  /**
   * What a pass deletes and how.
   *
   * @param whole groups to delete by their labels, with the due items each holds
   * @param alone items to delete one by one
   * @param waiting groups whose due items wait, and since when (the next pass's {@code waiting})
   */
  public record Plan<T>(Map<Group, List<T>> whole, List<T> alone, Map<Group, Instant> waiting) {}

  /**
   * The tenth of a second, as the label's value, of an object that finished at {@code finishedAt}:
   * Unix seconds, a dot and the tenth ({@code 1796360512.3}).
   */
  public static String label(Instant finishedAt) {
    return finishedAt.getEpochSecond() + "." + finishedAt.getNano() / 100_000_000;
  }

  /** The group an object's labels put it in; null when it carries no such labels. */
  public static Group groupOf(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    if (labels == null) {
      return null;
    }
    String phase = labels.get(Herald.LABEL_PHASE);
    String tenth = labels.get(Herald.LABEL_FINISHED);
    if (phase == null || tenth == null || !isTenth(tenth)) {
      return null;
    }
    return new Group(object.getMetadata().getNamespace(), phase, tenth);
  }

  /**
   * Splits {@code due} into whole groups and single deletions.
   *
   * @param due what the pass deletes, in its order
   * @param objectOf the object of a due item
   * @param finished every finished object the informer holds (due or not)
   * @param now the pass's time
   * @param waitingSince the groups that waited in the previous pass, and since when: after {@link
   *     #MAX_WAIT} their due items go alone
   */
  public static <T> Plan<T> plan(
      List<T> due,
      Function<T, ? extends HasMetadata> objectOf,
      Collection<? extends HasMetadata> finished,
      Instant now,
      Map<Group, Instant> waitingSince) {
    Map<Group, List<T>> dueByGroup = new LinkedHashMap<>();
    List<T> alone = new ArrayList<>();
    for (T item : due) {
      Group group = groupOf(objectOf.apply(item));
      if (group == null || !settled(group, now)) {
        alone.add(item);
      } else {
        dueByGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(item);
      }
    }
    Map<Group, Integer> members = new HashMap<>();
    for (HasMetadata object : finished) {
      Group group = groupOf(object);
      if (group != null && dueByGroup.containsKey(group)) {
        members.merge(group, 1, Integer::sum);
      }
    }
    Map<Group, List<T>> whole = new LinkedHashMap<>();
    Map<Group, Instant> waiting = new HashMap<>();
    for (var entry : dueByGroup.entrySet()) {
      Group group = entry.getKey();
      List<T> items = entry.getValue();
      if (members.getOrDefault(group, 0) <= items.size()) {
        if (items.size() < MIN_GROUP) {
          alone.addAll(items);
        } else {
          whole.put(group, items);
        }
      } else {
        Instant since = waitingSince.getOrDefault(group, now);
        if (now.isBefore(since.plus(MAX_WAIT))) {
          waiting.put(group, since);
        } else {
          alone.addAll(items);
        }
      }
    }
    return new Plan<>(whole, alone, waiting);
  }

  private static boolean settled(Group group, Instant now) {
    // from the end of the tenth: an object may have finished at its last millisecond
    return !group.end().plus(SETTLE).isAfter(now);
  }

  /** Seconds (1 to 12 digits), a dot, one digit. */
  private static boolean isTenth(String value) {
    int dot = value.indexOf('.');
    return dot >= 1
        && dot <= 12
        && dot == value.length() - 2
        && Character.isDigit(value.charAt(dot + 1))
        && value.substring(0, dot).chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
