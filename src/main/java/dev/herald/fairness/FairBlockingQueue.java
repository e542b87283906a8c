package dev.herald.fairness;

import java.util.AbstractQueue;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * An unbounded {@link BlockingQueue} served as a {@link FairQueue}: round robin between the keys
 * that {@code keyOf} gives its elements. As a thread pool's work queue it gives every tenant's
 * tasks their turn at the next free thread, instead of all of one tenant's backlog first.
 */
public final class FairBlockingQueue<K, E> extends AbstractQueue<E> implements BlockingQueue<E> {
  private final Function<? super E, ? extends K> keyOf;
  private final FairQueue<K, E> queue = new FairQueue<>();
  private final ReentrantLock lock = new ReentrantLock();

  /** Something was queued, or a key's running element finished (its key may be eligible again). */
  private final Condition notEmpty = lock.newCondition();

  /** Null: no bound on how many elements of a key run at once. */
  private final FairShare share;

  /** Elements taken and not yet {@link #done}, by key (only with a share). */
  private final Map<K, Integer> running = new HashMap<>();

  public FairBlockingQueue(Function<? super E, ? extends K> keyOf) {
    this(keyOf, null);
  }

  /**
   * With {@code share}: an element is taken only while its key runs fewer elements than its share
   * of {@code share.slots()} allows (a key's elements run from take until {@link #done}), so that
   * one key cannot hold every worker while another key's element waits.
   */
  public FairBlockingQueue(Function<? super E, ? extends K> keyOf, FairShare share) {
    this.keyOf = keyOf;
    this.share = share;
  }

  /** An element taken from this queue finished running: its key holds one slot fewer. */
  public void done(E e) {
    if (share == null) {
      return;
    }
    K key = keyOf.apply(e);
    lock.lock();
    try {
      running.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
      // the key, or (one tenant fewer busy) every other key, may be under its share again
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Elements of {@code key} taken and not yet done. */
  public int running(K key) {
    lock.lock();
    try {
      return running.getOrDefault(key, 0);
    } finally {
      lock.unlock();
    }
  }

  /** The next element whose key may run one more, counted as running; null: none. Under lock. */
  private E next() {
    if (share == null) {
      return queue.poll();
    }
    int busy = queue.keys();
    for (K key : running.keySet()) {
      if (queue.size(key) == 0) {
        busy++;
      }
    }
    int tenants = busy;
    E e = queue.poll(key -> share.mayTake(running.getOrDefault(key, 0), tenants));
    if (e != null) {
      running.merge(keyOf.apply(e), 1, Integer::sum);
    }
    return e;
  }

  @Override
  public boolean offer(E e) {
    if (e == null) {
      throw new NullPointerException();
    }
    K key = keyOf.apply(e);
    lock.lock();
    try {
      queue.add(key, e);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void put(E e) {
    offer(e);
  }

  @Override
  public boolean offer(E e, long timeout, TimeUnit unit) {
    return offer(e);
  }

  @Override
  public E take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      for (E e = next(); ; e = next()) {
        if (e != null) {
          return e;
        }
        notEmpty.await();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public E poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      for (E e = next(); ; e = next()) {
        if (e != null) {
          return e;
        }
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public E poll() {
    lock.lock();
    try {
      return next();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public E peek() {
    lock.lock();
    try {
      return queue.peek();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean remove(Object o) {
    lock.lock();
    try {
      return queue.remove(o);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int remainingCapacity() {
    return Integer.MAX_VALUE;
  }

  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super E> c, int maxElements) {
    if (c == this) {
      throw new IllegalArgumentException("cannot drain a queue into itself");
    }
    lock.lock();
    try {
      int n = 0;
      while (n < maxElements && !queue.isEmpty()) {
        c.add(queue.poll());
        n++;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A snapshot (ThreadPoolExecutor only iterates to purge or report); remove() takes the element
   * out of line.
   */
  @Override
  public Iterator<E> iterator() {
    List<E> snapshot;
    lock.lock();
    try {
      snapshot = queue.snapshot();
    } finally {
      lock.unlock();
    }
    Iterator<E> it = snapshot.iterator();
    return new Iterator<>() {
      private E last;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public E next() {
        last = it.next();
        return last;
      }

      @Override
      public void remove() {
        if (last == null) {
          throw new IllegalStateException();
        }
        FairBlockingQueue.this.remove(last);
        last = null;
      }
    };
  }
}
