package dev.herald.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link Unreadable} objects away from the reconcilers, and reports each: one log line per
 * version of the object (without its payload) and a Warning Event {@value Unreadable#REASON} on it.
 * Filters run on the informer's thread, so the Event is written from a thread of its own. An edit
 * that makes the object readable again lets it through.
 */
public final class UnreadableFilter<R extends HasMetadata>
    implements GenericFilter<R>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UnreadableFilter.class);
  private static final int MAX_REMEMBERED = 10_000;
  private final EventRecorder events;

  /** uid to the last resourceVersion reported. */
  private final Map<String, String> reported = new ConcurrentHashMap<>();

  /**
   * Bounded: a flood of unreadable objects costs dropped Events, never memory or the informer's
   * thread.
   */
  private final ExecutorService reporter =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(1_000),
          r -> {
            Thread t = new Thread(r, "herald-unreadable-events");
            t.setDaemon(true);
            return t;
          },
          new ThreadPoolExecutor.DiscardPolicy());

  public UnreadableFilter(EventRecorder events) {
    this.events = events;
  }

  @Override
  public boolean accept(R resource) {
    var reason = Unreadable.reason(resource);
    if (reason.isEmpty()) {
      return true;
    }
    var meta = resource.getMetadata();
    String version = String.valueOf(meta.getResourceVersion());
    if (!version.equals(reported.put(String.valueOf(meta.getUid()), version))) {
      if (reported.size() > MAX_REMEMBERED) {
        reported.clear();
      }
      LOG.warn(
          "{} {}/{} (resourceVersion {}) cannot be read and is skipped until it is changed: {}",
          resource.getKind(),
          meta.getNamespace(),
          meta.getName(),
          version,
          reason.get());
      reporter.execute(
          () ->
              events.warning(
                  resource,
                  Unreadable.REASON,
                  "Herald cannot read this object and skips it until it is changed: "
                      + reason.get()));
    }
    return false;
  }

  @Override
  public void close() {
    reporter.shutdownNow();
  }
}
