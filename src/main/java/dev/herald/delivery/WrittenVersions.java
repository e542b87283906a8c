package dev.herald.delivery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resourceVersion of this process's last write to each delivery. An informer copy at least that
 * new already holds every write this process made, so a decision taken on it needs no fresh read
 * from the API server; an older copy does (it may predate a recorded attempt, and a decision on it
 * would send that attempt again).
 */
final class WrittenVersions {
  /** Far longer than any informer lag: an entry that old has nothing left to protect. */
  private static final long KEEP_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

  private static final int PRUNE_ABOVE = 10_000;

  private record Written(long resourceVersion, long atNanos) {}

  private final Map<String, Written> byUid = new ConcurrentHashMap<>();

  void wrote(HasMetadata written) {
    Long version = parse(written.getMetadata().getResourceVersion());
    if (version == null) {
      return;
    }
    long now = System.nanoTime();
    if (byUid.size() > PRUNE_ABOVE) {
      byUid.values().removeIf(w -> now - w.atNanos() > KEEP_NANOS);
    }
    byUid.merge(
        written.getMetadata().getUid(),
        new Written(version, now),
        (a, b) -> a.resourceVersion() >= b.resourceVersion() ? a : b);
  }

  /** True when the cached copy holds every write this process made to it (or none was made). */
  boolean holdsOurWrites(HasMetadata cached) {
    Written last = byUid.get(cached.getMetadata().getUid());
    if (last == null) {
      return true;
    }
    Long version = parse(cached.getMetadata().getResourceVersion());
    if (version == null || version < last.resourceVersion()) {
      return false;
    }
    byUid.remove(cached.getMetadata().getUid(), last); // caught up: nothing left to protect
    return true;
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
