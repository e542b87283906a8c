package dev.herald.event;

import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.kube.MetadataLists;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the operator's cache of endpoints holds every endpoint that existed when an event was
 * written. An event goes to the endpoints of that moment, and {@code kubectl apply} of an endpoint
 * and then an event (one file, in that order) must reach the endpoint, though the endpoints' watch
 * may bring it a moment after the events' watch brought the event.
 *
 * <p>Resource versions are etcd revisions, and a watch brings a kind's changes in their order: a
 * cache that has seen version v of an endpoint of a namespace holds every endpoint of it written
 * before v. An event written later than anything the cache has seen is checked against a
 * metadata-only list of the namespace's endpoints as they are now (newer than the event); a list
 * that names nothing the cache lacks makes the cache complete up to the list's version, for every
 * event written before it (a burst of events costs one list, not one each). Where it names an
 * endpoint the cache lacks, the event waits for the cache ({@link #RECHECK}), at most {@link
 * #MAX_WAIT}.
 */
final class EndpointCacheFreshness {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointCacheFreshness.class);

  /** How soon an event that waits for the cache is looked at again. */
  static final Duration RECHECK = Duration.ofMillis(100);

  /**
   * How long an event waits for the cache at most; then it goes to the endpoints the cache holds,
   * and the log says how many it did not have. The watch brings an endpoint within milliseconds;
   * only a broken watch takes this long, and the event is not held back for ever by one.
   */
  static final Duration MAX_WAIT = Duration.ofSeconds(10);

  /** The endpoints of a namespace as the API server has them now. */
  interface Server {
    MetadataLists.Listed list(String namespace);
  }

  private final Function<String, Set<String>> cachedUids;
  private final Server server;
  private final Clock clock;

  /** By namespace: the version up to which the cache is known to hold every endpoint. */
  private final Map<String, Long> completeUpTo = new ConcurrentHashMap<>();

  /** One list at a time per namespace: the events behind it are mostly answered by it. */
  private final Map<String, Object> listing = new ConcurrentHashMap<>();

  /** By event uid: since when it waits for the cache. */
  private final Map<String, Instant> waiting = new ConcurrentHashMap<>();

  /**
   * @param cachedUids the uids of the endpoints the cache holds for a namespace
   */
  EndpointCacheFreshness(Function<String, Set<String>> cachedUids, Server server, Clock clock) {
    this.cachedUids = cachedUids;
    this.server = server;
    this.clock = clock;
  }

  /** The cache has taken in this version of an endpoint (added, changed or deleted). */
  void observed(HasMetadata endpoint) {
    long version = version(endpoint.getMetadata().getResourceVersion());
    if (version >= 0) {
      completeUpTo.merge(endpoint.getMetadata().getNamespace(), version, Math::max);
    }
  }

  /**
   * @return true: publish the event now, to the endpoints the cache holds; false: look again after
   *     {@link #RECHECK}
   */
  boolean holdsEndpointsFor(WebhookEvent event) {
    String namespace = event.getMetadata().getNamespace();
    long version = version(event.getMetadata().getResourceVersion());
    if (covered(namespace, version)) {
      return true;
    }
    synchronized (listing.computeIfAbsent(namespace, n -> new Object())) {
      if (covered(namespace, version)) { // the list of the event before it answered
        return true;
      }
      MetadataLists.Listed listed;
      try {
        listed = server.list(namespace);
      } catch (KubernetesClientException e) {
        // as before this check: published to what the cache holds (the status write that follows
        // meets the same server)
        LOG.warn(
            "event {}/{}: endpoints not listed, published to the cached ones: {}",
            namespace,
            event.getMetadata().getName(),
            e.getMessage());
        return true;
      }
      Set<String> missing = new HashSet<>(listed.uids());
      missing.removeAll(cachedUids.apply(namespace));
      String uid = event.getMetadata().getUid();
      if (missing.isEmpty()) {
        long listedVersion = version(listed.resourceVersion());
        if (listedVersion >= 0) {
          completeUpTo.merge(namespace, listedVersion, Math::max);
        }
        waiting.remove(uid);
        return true;
      }
      Instant now = clock.instant();
      // an event deleted while it waited leaves its entry: bounded by age
      waiting.values().removeIf(since -> since.isBefore(now.minus(MAX_WAIT.multipliedBy(6))));
      Instant since = waiting.computeIfAbsent(uid, u -> now);
      if (!now.isBefore(since.plus(MAX_WAIT))) {
        waiting.remove(uid);
        LOG.warn(
            "event {}/{}: the cache still lacks {} endpoint(s) of the namespace after {}s;"
                + " published to the cached ones",
            namespace,
            event.getMetadata().getName(),
            missing.size(),
            MAX_WAIT.toSeconds());
        return true;
      }
      return false;
    }
  }

  private boolean covered(String namespace, long version) {
    return version >= 0 && completeUpTo.getOrDefault(namespace, -1L) >= version;
  }

  /** -1 for a version that is not a number (never covered: every event is checked). */
  static long version(String resourceVersion) {
    if (resourceVersion == null) {
      return -1;
    }
    try {
      return Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
