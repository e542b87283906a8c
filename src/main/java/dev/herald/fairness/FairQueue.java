package dev.herald.fairness;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A line that is first come, first served within each key (a tenant: the namespace) and round robin
 * between keys: whoever is queued under a key waits for at most one turn of every other key with
 * something queued, however many items that other key has queued. A tenant that queues a thousand
 * items therefore delays another tenant's next item by one item, not a thousand.
 *
 * <p>Items are distinct: an item already in line is not queued twice and keeps its place. Not
 * thread-safe; callers hold their own lock.
 */
public final class FairQueue<K, T> {
  /** Non-empty lanes only: a lane leaves when its last item does. */
  private final Map<K, LinkedHashSet<T>> lanes = new HashMap<>();

  /** Keys with something queued, in the order of their next turn. */
  private final ArrayDeque<K> turns = new ArrayDeque<>();

  private int size;

  /** Queues {@code item} last in {@code key}'s lane; false when it is already in that lane. */
  public boolean add(K key, T item) {
    LinkedHashSet<T> lane = lanes.get(key);
    if (lane == null) {
      lane = new LinkedHashSet<>();
      lanes.put(key, lane);
      turns.addLast(
          key); // a key that had nothing queued takes its turn after those already waiting
    }
    if (!lane.add(item)) {
      return false;
    }
    size++;
    return true;
  }

  /**
   * The first item of the lane whose turn it is, which then goes to the back of the turns; null
   * when empty.
   */
  public T poll() {
    K key = turns.pollFirst();
    if (key == null) {
      return null;
    }
    return takeFirst(key);
  }

  /**
   * Like {@link #poll()}, but only from a key that {@code eligible} accepts: the first such key in
   * turn order gives its first item and goes to the back of the turns; the keys passed over keep
   * their place at the front. Null when no key with something queued is eligible.
   */
  public T poll(Predicate<? super K> eligible) {
    for (Iterator<K> it = turns.iterator(); it.hasNext(); ) {
      K key = it.next();
      if (eligible.test(key)) {
        it.remove();
        return takeFirst(key);
      }
    }
    return null;
  }

  /** Keys with something queued. */
  public int keys() {
    return lanes.size();
  }

  /** The first item of {@code key}'s lane, whose turn was just taken out of the turns. */
  private T takeFirst(K key) {
    LinkedHashSet<T> lane = lanes.get(key);
    Iterator<T> it = lane.iterator();
    T item = it.next();
    it.remove();
    size--;
    if (lane.isEmpty()) {
      lanes.remove(key);
    } else {
      turns.addLast(key);
    }
    return item;
  }

  /** What {@link #poll()} would return, without taking it; null when empty. */
  public T peek() {
    K key = turns.peekFirst();
    return key == null ? null : lanes.get(key).iterator().next();
  }

  /** Takes {@code item} out of line wherever it is; false when it was not queued. */
  public boolean remove(Object item) {
    for (Iterator<Map.Entry<K, LinkedHashSet<T>>> it = lanes.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<K, LinkedHashSet<T>> lane = it.next();
      if (lane.getValue().remove(item)) {
        size--;
        if (lane.getValue().isEmpty()) {
          it.remove();
          turns.remove(lane.getKey());
        }
        return true;
      }
    }
    return false;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Items queued under {@code key}. */
  public int size(K key) {
    LinkedHashSet<T> lane = lanes.get(key);
    return lane == null ? 0 : lane.size();
  }

  /** Every item queued, lane by lane (not the order {@link #poll()} takes them). */
  public List<T> snapshot() {
    List<T> all = new ArrayList<>(size);
    for (K key : turns) {
      all.addAll(lanes.get(key));
    }
    return all;
  }
}
