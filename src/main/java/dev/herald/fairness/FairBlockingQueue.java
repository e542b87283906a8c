package dev.herald.fairness;

import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
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
  private final Condition notEmpty = lock.newCondition();

  public FairBlockingQueue(Function<? super E, ? extends K> keyOf) {
    this.keyOf = keyOf;
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
      while (queue.isEmpty()) {
        notEmpty.await();
      }
      return queue.poll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public E poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (queue.isEmpty()) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return queue.poll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public E poll() {
    lock.lock();
    try {
      return queue.poll();
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
