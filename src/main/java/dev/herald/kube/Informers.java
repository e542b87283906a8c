package dev.herald.kube;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;

/** Informers the operator runs beside JOSDK's own (retention's caches of finished objects). */
public final class Informers {
  private Informers() {}

  /**
   * Starts {@code informer} without waiting for its first list: whoever reads it waits until it has
   * synced. A failure to start is logged, naming {@code what} and the namespace (null: all).
   */
  public static void start(
      SharedIndexInformer<?> informer, Logger log, String what, String namespace) {
    informer
        .start()
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                log.error(
                    "{} in {}: informer failed to start: {}",
                    what,
                    namespace == null ? "all namespaces" : namespace,
                    e.toString());
              }
            });
  }
}
