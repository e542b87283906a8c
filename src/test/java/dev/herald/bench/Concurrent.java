package dev.herald.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/** Fixed concurrency: exactly {@code concurrency} operations in flight until {@code n} are done. */
final class Concurrent {
  private Concurrent() {}

  /** Blocking operations on {@code concurrency} threads; returns the elapsed nanoseconds. */
  static long run(int n, int concurrency, IntConsumer operation) {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    operation.accept(i);
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("an operation failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return System.nanoTime() - start;
  }

  /**
   * Asynchronous operations, each started when one in flight completes; returns the elapsed
   * nanoseconds.
   */
  static long runAsync(int n, int concurrency, IntFunction<CompletableFuture<?>> operation) {
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    List<CompletableFuture<Void>> chains = new ArrayList<>();
    for (int w = 0; w < Math.min(concurrency, n); w++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      chain(next, n, operation, done);
      chains.add(done);
    }
    CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).join();
    return System.nanoTime() - start;
  }

  private static void chain(
      AtomicInteger next,
      int n,
      IntFunction<CompletableFuture<?>> operation,
      CompletableFuture<Void> done) {
    int i = next.getAndIncrement();
    if (i >= n) {
      done.complete(null);
      return;
    }
    operation
        .apply(i)
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                done.completeExceptionally(e);
              } else {
                chain(next, n, operation, done);
              }
            });
  }
}
