package dev.herald.retention;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.api.v1alpha1.WebhookEventStatus;
import dev.herald.delivery.DeliveryStatuses;
import dev.herald.delivery.TrimmedDeliveries;
import dev.herald.kube.Informers;
import dev.herald.kube.LabelValues;
import dev.herald.kube.TrimmedStore;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished WebhookEvents ({@link EventRetention}): {@code ttlAfterFinished} after they
 * finished, or sooner beyond the budget of finished events. Two informers per watched namespace
 * keep trimmed copies (events with their fan-out time; the deliveries that carry an event label,
 * with their phase), and one thread deletes at most {@link #BATCH} a pass ({@link
 * ParallelDeletions}), so retention never holds a reconcile thread. Before each deletion the
 * event's deliveries are listed again, at least as fresh as the event's copy: deleting an event
 * deletes its deliveries (owner references), so one with a delivery still running is never deleted,
 * even when the informer lags.
 *
 * <p>Run on the leader only ({@code HeraldOperator} starts it when it leads).
 */
public final class FinishedEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FinishedEvents.class);

  /** Deletions per pass. */
  public static final int BATCH = 20;

  /** Pause between passes while a backlog is being deleted. */
  static final Duration CATCH_UP = Duration.ofMillis(250);

  /** Page size of the informers' first list. */
  static final long LIST_LIMIT = 500;

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final String labelSelector;
  private final Duration ttl;
  private final FinishedBudget budget;
  private final Duration every;
  private final Evictions evictions;
  private final Clock clock;
  private final List<SharedIndexInformer<WebhookEvent>> events = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<WebhookDelivery>> deliveries =
      new CopyOnWriteArrayList<>();
  private ScheduledExecutorService worker;
  private final ParallelDeletions deletions =
      new ParallelDeletions("herald-event-retention-delete");

  /**
   * @param namespaces the watched namespaces; empty: all
   * @param labelSelector the operator's shard: only events matching it; null: all
   */
  public FinishedEvents(
      KubernetesClient client,
      Set<String> namespaces,
      String labelSelector,
      Duration ttl,
      FinishedBudget budget,
      Duration every,
      Evictions evictions,
      Clock clock) {
    this.client = client;
    this.namespaces = namespaces;
    this.labelSelector = labelSelector;
    this.ttl = ttl;
    this.budget = budget;
    this.every = every;
    this.evictions = evictions;
    this.clock = clock;
  }

  public synchronized void start() {
    if (worker != null) {
      return;
    }
    worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "herald-event-retention");
              t.setDaemon(true);
              return t;
            });
    for (String namespace :
        namespaces.isEmpty() ? Collections.<String>singleton(null) : namespaces) {
      var eventResources = client.resources(WebhookEvent.class);
      var scopedEvents =
          namespace == null
              ? eventResources.inAnyNamespace()
              : eventResources.inNamespace(namespace);
      SharedIndexInformer<WebhookEvent> eventInformer =
          (labelSelector == null ? scopedEvents : scopedEvents.withLabelSelector(labelSelector))
              .withLimit(LIST_LIMIT)
              .runnableInformer(0);
      eventInformer.itemStore(new TrimmedStore<>(FinishedEvents::trim));
      eventInformer.removeNamespaceIndex();
      events.add(eventInformer);

      var deliveryResources = client.resources(WebhookDelivery.class);
      var scopedDeliveries =
          namespace == null
              ? deliveryResources.inAnyNamespace()
              : deliveryResources.inNamespace(namespace);
      SharedIndexInformer<WebhookDelivery> deliveryInformer =
          scopedDeliveries.withLabel(Herald.LABEL_EVENT).withLimit(LIST_LIMIT).runnableInformer(0);
      deliveryInformer.itemStore(new TrimmedStore<>(TrimmedDeliveries::trim));
      deliveryInformer.removeNamespaceIndex();
      deliveries.add(deliveryInformer);

      for (SharedIndexInformer<?> informer : List.of(eventInformer, deliveryInformer)) {
        Informers.start(informer, LOG, "event retention", namespace);
      }
    }
    schedule(every);
  }

  @Override
  public synchronized void close() {
    if (worker != null) {
      worker.shutdownNow();
      worker = null;
    }
    events.forEach(SharedIndexInformer::stop);
    deliveries.forEach(SharedIndexInformer::stop);
    events.clear();
    deliveries.clear();
  }

  /** Name, namespace, uid, resourceVersion, the deletion mark and the fan-out time. */
  static WebhookEvent trim(WebhookEvent full) {
    ObjectMeta from = full.getMetadata();
    ObjectMeta meta = TrimmedStore.identity(from);
    meta.setDeletionTimestamp(from.getDeletionTimestamp());
    WebhookEvent trimmed = new WebhookEvent();
    trimmed.setMetadata(meta);
    if (full.getStatus() != null && full.getStatus().getFanOutTime() != null) {
      WebhookEventStatus status = new WebhookEventStatus();
      status.setFanOutTime(full.getStatus().getFanOutTime());
      trimmed.setStatus(status);
    }
    return trimmed;
  }

  private boolean synced() {
    return !events.isEmpty()
        && events.stream().allMatch(SharedIndexInformer::hasSynced)
        && deliveries.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  private void pass() {
    Duration next = every;
    try {
      if (synced()) {
        List<WebhookEvent> allEvents = new ArrayList<>();
        events.forEach(i -> allEvents.addAll(i.getStore().list()));
        List<WebhookDelivery> allDeliveries = new ArrayList<>();
        deliveries.forEach(i -> allDeliveries.addAll(i.getStore().list()));
        var due =
            EventRetention.due(
                allEvents,
                EventRetention.byEvent(allDeliveries),
                ttl,
                budget,
                clock.instant(),
                BATCH);
        for (EventRetention.Due d : deletions.run(due, this::delete)) {
          evictions.deleted(d.event(), d.reason(), budget, d.scope());
        }
        if (due.size() >= BATCH) {
          next = every.compareTo(CATCH_UP) < 0 ? every : CATCH_UP;
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("event retention: pass failed: {}", e.toString());
    }
    schedule(next);
  }

  /**
   * Deletes the event when a fresh list of its deliveries still shows them all finished; whether it
   * did.
   */
  private boolean delete(EventRetention.Due due) {
    WebhookEvent event = due.event();
    String namespace = event.getMetadata().getNamespace();
    String name = event.getMetadata().getName();
    try {
      // from the API server's watch cache as it has it: the deliveries were created before the
      // fan-out was recorded, at least MIN_AGE ago. Not "not older than" the event's version: a
      // 1.20 server's cache of deliveries learns of newer versions only from delivery writes, and
      // where none came after the event (its first attempts all succeeded) it waits 3 s and
      // answers 504. Not a quorum read either: that reads every delivery of the namespace from
      // etcd, per event deleted
      List<WebhookDelivery> current =
          client
              .resources(WebhookDelivery.class)
              .inNamespace(namespace)
              .list(
                  new ListOptionsBuilder()
                      .withLabelSelector(Herald.LABEL_EVENT + "=" + LabelValues.orHash(name))
                      .withResourceVersion("0")
                      .build())
              .getItems();
      if (!current.stream().allMatch(DeliveryStatuses::finished)) {
        LOG.debug("event {}/{}: a delivery is unfinished after all; kept", namespace, name);
        return false;
      }
      // empty: an earlier pass deleted it and the informer has not yet heard
      return !client
          .resources(WebhookEvent.class)
          .inNamespace(namespace)
          .withName(name)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete()
          .isEmpty();
    } catch (KubernetesClientException e) {
      // the next pass tries again while the store still holds it
      LOG.warn("event {}/{}: not deleted: {}", namespace, name, e.getMessage());
      return false;
    }
  }

  private void schedule(Duration delay) {
    ScheduledExecutorService w = worker;
    try {
      if (w != null) {
        w.schedule(this::pass, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      // stopped
    }
  }
}
