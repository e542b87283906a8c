package dev.herald.delivery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;

/**
 * The resourceVersion of this process's last write to each delivery. An informer copy at least that
 * new already holds every write this process made, so a decision taken on it needs no fresh read
 * from the API server; an older copy does (it may predate a recorded attempt, and a decision on it
 * would send that attempt again).
 *
 * <p>A delivery's last write (the one that finishes it) takes it out of the informer, so nothing
 * ever checks that entry again: every delivery leaves one, and only age removes it. The cache
 * expires them as it goes; pruning the whole map on a write once it held 10,000 entries made every
 * write walk all of them after 10,000 deliveries in 10 minutes (cheap enough under C2 not to show
 * in the bench, bench/README.md, but linear in the rate).
 */
final class WrittenVersions {
  /** Far longer than any informer lag: an entry that old has nothing left to protect. */
  static final Duration KEEP = Duration.ofMinutes(10);

  private record Written(long resourceVersion) {}

  private final Cache<String, Written> byUid;

  WrittenVersions() {
    this(Ticker.systemTicker());
  }

  WrittenVersions(Ticker ticker) {
    byUid = Caffeine.newBuilder().expireAfterWrite(KEEP).ticker(ticker).build();
  }

  void wrote(HasMetadata written) {
    Long version = parse(written.getMetadata().getResourceVersion());
    if (version == null) {
      return;
    }
    byUid
        .asMap()
        .merge(
            written.getMetadata().getUid(),
            new Written(version),
            (a, b) -> a.resourceVersion() >= b.resourceVersion() ? a : b);
  }

  /** True when the cached copy holds every write this process made to it (or none was made). */
  boolean holdsOurWrites(HasMetadata cached) {
    Written last = byUid.getIfPresent(cached.getMetadata().getUid());
    if (last == null) {
      return true;
    }
    Long version = parse(cached.getMetadata().getResourceVersion());
    if (version == null || version < last.resourceVersion()) {
      return false;
    }
    byUid.asMap().remove(cached.getMetadata().getUid(), last); // caught up: nothing to protect
    return true;
  }

  /** Entries held, after expiring those past {@link #KEEP}. */
  long size() {
    byUid.cleanUp();
    return byUid.estimatedSize();
  }

  /** Kubernetes calls resource versions opaque; etcd's are integers, which JOSDK also relies on. */
  private static Long parse(String resourceVersion) {
    try {
      return resourceVersion == null ? null : Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
