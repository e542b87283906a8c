package dev.herald.endpoint;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * What the delivery path read from the API server (Secrets and ConfigMaps, which are not watched)
 * in the last {@link #TTL}: an edit is used within that time without a restart, and a busy endpoint
 * does not cost a read per attempt. Concurrent attempts that miss the same key share one read: when
 * an entry expires under load, every attempt in flight to that endpoint asks for it at once, and
 * each of them reading it would cost tens of reads where one does.
 *
 * @param <V> what is kept per key; a read that returns null keeps nothing (the next one reads
 *     again)
 */
final class RecentReads<V> {
  /**
   * Rotation writes a new Secret (a new name, a new key here), so only an in-place edit waits this
   * long.
   */
  static final Duration TTL = Duration.ofSeconds(10);

  /** Keys kept at most: one per endpoint and Secret in use, far below this on any cluster. */
  static final long MAX_KEYS = 10_000;

  /** A read from the API server that may fail with {@code E}. */
  interface Read<V, E extends Exception> {
    V read() throws E;
  }

  private final Cache<String, V> cache;

  RecentReads() {
    this(Ticker.systemTicker());
  }

  /** With the clock the expiry is measured by (a test's). */
  RecentReads(Ticker ticker) {
    this.cache =
        Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(MAX_KEYS).ticker(ticker).build();
  }

  /**
   * The value read in the last {@link #TTL}, or {@code read}'s now. A failed read keeps nothing and
   * fails each caller that waited for it.
   *
   * @param failure the checked exception {@code read} may throw
   */
  <E extends Exception> V get(String key, Class<E> failure, Read<V, ? extends E> read) throws E {
    try {
      return cache.get(
          key,
          k -> {
            try {
              return read.read();
            } catch (RuntimeException e) {
              throw e;
            } catch (Exception e) {
              throw new Failed(e);
            }
          });
    } catch (Failed f) {
      throw failure.cast(f.getCause());
    }
  }

  /** Carries a read's checked exception out of the cache's loader. */
  private static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failed(Exception cause) {
      super(cause);
    }
  }
}
