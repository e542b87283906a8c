package dev.herald.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bound on the finished objects of one kind: at most {@code perNamespace} in any namespace and
 * {@code perCluster} in all the namespaces this operator watches. The Kubernetes CRD scale targets
 * (KEP-95) are about 10,000 objects of a kind per cluster and 1,500 per namespace; the defaults
 * stay below them with room for the unfinished objects and for whatever else shares the kind.
 *
 * <p>Which objects go when a namespace or the cluster is over budget: succeeded ones before failed
 * ones (exhausted, cancelled: what someone may still look at), and within each the oldest first.
 *
 * @param perNamespace finished objects kept per namespace; 0: no per-namespace budget
 * @param perCluster finished objects kept in all watched namespaces; 0: no cluster budget
 */
public record FinishedBudget(int perNamespace, int perCluster) {
  /**
   * 1,000 per namespace: two thirds of KEP-95's 1,500, the rest for unfinished objects of the
   * namespace (a backlog in retry).
   */
  public static final int DEFAULT_PER_NAMESPACE = 1_000;

  /** 8,000 per cluster: KEP-95's 10,000 less room for unfinished objects and other shards. */
  public static final int DEFAULT_PER_CLUSTER = 8_000;

  public static final FinishedBudget DEFAULT =
      new FinishedBudget(DEFAULT_PER_NAMESPACE, DEFAULT_PER_CLUSTER);

  /** No budget: only TTLs and per-endpoint limits delete. */
  public static final FinishedBudget NONE = new FinishedBudget(0, 0);

  public FinishedBudget {
    if (perNamespace < 0 || perCluster < 0) {
      throw new IllegalArgumentException(
          "a budget of finished objects must be 0 (none) or more, got "
              + perNamespace
              + " per namespace and "
              + perCluster
              + " per cluster");
    }
  }

  /**
   * One finished object as the budget sees it.
   *
   * @param succeeded whether it ended well (a succeeded delivery; an event whose deliveries all
   *     succeeded): those go first
   * @param finishedAt when it finished; null sorts as the oldest
   */
  public record Finished<T>(
      T object, String namespace, String name, boolean succeeded, Instant finishedAt) {}

  /** Which scope's budget made an object go: that is what the Event names. */
  public enum Scope {
    NAMESPACE,
    CLUSTER
  }

  /** An object to delete and the budget it is over. */
  public record Eviction<T>(Finished<T> finished, Scope scope) {}

  private static final Comparator<Finished<?>> FIRST_TO_GO =
      Comparator.comparing((Finished<?> f) -> !f.succeeded())
          .thenComparing(
              Finished::finishedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
          .thenComparing(Finished::namespace)
          .thenComparing(Finished::name);

  /**
   * The objects beyond the budget, the first to go first, at most {@code max}: first what each
   * namespace holds beyond {@link #perNamespace}, then what all the rest hold beyond {@link
   * #perCluster}. The caller leaves out objects it deletes anyway (TTL, keep), so that they count
   * as gone.
   */
  public <T> List<Eviction<T>> evictions(Collection<Finished<T>> finished, int max) {
    List<Eviction<T>> out = new ArrayList<>();
    // identity: two trimmed copies may be equal as values
    Set<Finished<T>> gone = Collections.newSetFromMap(new IdentityHashMap<>());
    if (perNamespace > 0) {
      Map<String, List<Finished<T>>> byNamespace = new LinkedHashMap<>();
      finished.stream()
          .sorted(FIRST_TO_GO)
          .forEach(f -> byNamespace.computeIfAbsent(f.namespace(), k -> new ArrayList<>()).add(f));
      for (List<Finished<T>> inNamespace : byNamespace.values()) {
        for (int i = 0; i < inNamespace.size() - perNamespace; i++) {
          out.add(new Eviction<>(inNamespace.get(i), Scope.NAMESPACE));
          gone.add(inNamespace.get(i));
        }
      }
    }
    if (perCluster > 0) {
      List<Finished<T>> rest =
          finished.stream().filter(f -> !gone.contains(f)).sorted(FIRST_TO_GO).toList();
      for (int i = 0; i < rest.size() - perCluster; i++) {
        out.add(new Eviction<>(rest.get(i), Scope.CLUSTER));
      }
    }
    return out.size() <= max ? out : List.copyOf(out.subList(0, max));
  }
}
