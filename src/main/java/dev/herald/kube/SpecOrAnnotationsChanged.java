package dev.herald.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Reconcile on spec changes and on the annotations users act through (replay, rotation), but not on
 * our own status and label writes, which would otherwise re-trigger every reconcile.
 */
public class SpecOrAnnotationsChanged<R extends HasMetadata> implements OnUpdateFilter<R> {
  @Override
  public boolean accept(R newResource, R oldResource) {
    var n = newResource.getMetadata();
    var o = oldResource.getMetadata();
    return !Objects.equals(n.getGeneration(), o.getGeneration())
        || !Objects.equals(n.getAnnotations(), o.getAnnotations())
        || !Objects.equals(n.getDeletionTimestamp(), o.getDeletionTimestamp())
        || !Objects.equals(n.getFinalizers(), o.getFinalizers());
  }
}
