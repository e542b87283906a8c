package dev.herald.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer store that keeps of each object only what its reader needs ({@code trim}): events and
 * deliveries carry payloads, and retention and history may watch tens of thousands of them.
 */
public final class TrimmedStore<T extends HasMetadata> implements ItemStore<T> {
  /**
   * The metadata every trimmed copy keeps: name, namespace (interned: thousands of copies share a
   * few), uid and resourceVersion (the informer compares it). The model's eager empty collections
   * are dropped: they cost more than the fields kept.
   */
  public static ObjectMeta identity(ObjectMeta from) {
    ObjectMeta meta = new ObjectMeta();
    meta.setFinalizers(null);
    meta.setManagedFields(null);
    meta.setOwnerReferences(null);
    meta.setName(from.getName());
    meta.setNamespace(from.getNamespace() == null ? null : from.getNamespace().intern());
    meta.setUid(from.getUid());
    meta.setResourceVersion(from.getResourceVersion());
    return meta;
  }

  private final BasicItemStore<T> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final UnaryOperator<T> trim;

  public TrimmedStore(UnaryOperator<T> trim) {
    this.trim = trim;
  }

  @Override
  public String getKey(T obj) {
    return items.getKey(obj);
  }

  @Override
  public T put(String key, T obj) {
    return items.put(key, trim.apply(obj));
  }

  @Override
  public T remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet();
  }

  @Override
  public Stream<T> values() {
    return items.values();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }
}
