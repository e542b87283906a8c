package dev.herald.delivery;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.kube.Informers;
import dev.herald.kube.Patches;
import dev.herald.kube.TrimmedStore;
import dev.herald.retention.Evictions;
import dev.herald.retention.FinishedBudget;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
 * Finished deliveries, which the delivery controller's own informer leaves out so its memory
 * follows the work in flight, not the history. A label-selected informer per watched namespace
 * keeps a trimmed copy of each ({@link TrimmedDeliveries}); from it the {@link HistorySweeper}
 * deletes what retention no longer keeps, and a replay request hands the delivery back to the
 * controller by removing its phase label.
 *
 * <p>An event source of the delivery controller, so JOSDK starts it with the controller (on the
 * leader only) and stops it with it; it never triggers a reconcile itself.
 */
public final class FinishedDeliveries
    extends AbstractEventSource<WebhookDelivery, WebhookDelivery> {
  private static final Logger LOG = LoggerFactory.getLogger(FinishedDeliveries.class);
  public static final String NAME = "finished-deliveries";

  /** Page size of the initial list, so a large history is not fetched in one response. */
  static final long LIST_LIMIT = DeliveryIndex.LIST_LIMIT;

  /** Deletions per pass (see {@link HistoryLimits#BATCH}). */
  public static final int BATCH = HistoryLimits.BATCH;

  /**
   * Pause between passes while a backlog is being deleted, so retention keeps up with deliveries
   * finishing at the operator's pace, in bounded bursts: a pass of {@link #BATCH} deletions side by
   * side takes half a second when they get every other token of the default API budget.
   */
  static final Duration CATCH_UP = Duration.ofMillis(100);

  /**
   * Pause after a pass that found some due but less than a batch: at a steady rate beyond the
   * budget deliveries become due as fast as they finish, and a whole interval would let that many
   * more pile up over the budget each time.
   */
  static final Duration STILL_DUE = Duration.ofSeconds(1);

  private final EventSourceContext<WebhookDelivery> context;
  private final Duration sweepEvery;
  private final HistorySweeper sweeper;
  private final List<SharedIndexInformer<WebhookDelivery>> informers = new CopyOnWriteArrayList<>();
  private volatile ScheduledExecutorService worker;

  FinishedDeliveries(
      EventSourceContext<WebhookDelivery> context,
      InformerEventSource<WebhookEndpoint, WebhookDelivery> endpoints,
      Clock clock,
      Duration sweepEvery,
      FinishedBudget budget,
      Evictions evictions) {
    super(WebhookDelivery.class, NAME);
    this.context = context;
    this.sweepEvery = sweepEvery;
    this.sweeper =
        new HistorySweeper(
            context.getClient(), this::list, endpoints::get, clock, budget, evictions);
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "herald-history");
              t.setDaemon(true);
              return t;
            });
    KubernetesClient client = context.getClient();
    for (String namespace : namespaces()) {
      var resources = client.resources(WebhookDelivery.class);
      var scoped =
          namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace);
      SharedIndexInformer<WebhookDelivery> informer =
          scoped
              .withLabelSelector(Herald.SELECT_FINISHED)
              .withLimit(LIST_LIMIT)
              .runnableInformer(0);
      informer.itemStore(new TrimmedStore<>(TrimmedDeliveries::trim));
      informer.removeNamespaceIndex();
      informer.addEventHandler(new ReplayWatch());
      // not awaited: the controller need not wait for history to be listed, and the sweeper
      // waits until every informer has synced before it judges what is beyond keep
      Informers.start(informer, LOG, "finished deliveries", namespace);
      informers.add(informer);
    }
    schedulePass(sweepEvery);
    super.start();
  }

  @Override
  public synchronized void stop() {
    super.stop();
    if (worker != null) {
      worker.shutdownNow();
      worker = null;
    }
    informers.forEach(SharedIndexInformer::stop);
    informers.clear();
  }

  /** The trimmed copies of all finished deliveries seen so far. */
  public List<WebhookDelivery> list() {
    List<WebhookDelivery> all = new ArrayList<>();
    for (SharedIndexInformer<WebhookDelivery> informer : informers) {
      all.addAll(informer.getStore().list());
    }
    return all;
  }

  boolean hasSynced() {
    return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /**
   * Readiness: an informer that could not list (e.g. RBAC) has stopped, and history would then grow
   * unnoticed; the controller itself does not wait for this informer.
   */
  @Override
  public Status getStatus() {
    return informers.stream().allMatch(SharedIndexInformer::isRunning)
        ? Status.HEALTHY
        : Status.UNHEALTHY;
  }

  /** The controller's namespaces; null stands for all of them. */
  private Set<String> namespaces() {
    Set<String> configured =
        context.getControllerConfiguration().getInformerConfig().getNamespaces();
    if (InformerConfiguration.allNamespacesWatched(configured)) {
      return java.util.Collections.singleton(null);
    }
    if (InformerConfiguration.currentNamespaceWatched(configured)) {
      return Set.of(context.getClient().getNamespace());
    }
    return configured;
  }

  /**
   * One pass over the history: pending replays, then retention. A pass that found any due is
   * followed by the next one sooner ({@link #nextPass}), so deletions keep up with deliveries
   * finishing faster than a batch per interval, still in bounded bursts.
   */
  private void pass() {
    Duration next = sweepEvery;
    try {
      if (hasSynced()) {
        for (WebhookDelivery d : list()) {
          if (DeliveryStatuses.replayRequested(d)) {
            release(d.getMetadata().getNamespace(), d.getMetadata().getName());
          }
        }
        next = nextPass(sweeper.sweep(), sweepEvery);
      }
    } catch (RuntimeException e) {
      LOG.warn("finished deliveries: history pass failed: {}", e.toString());
    }
    schedulePass(next);
  }

  /** When the next pass comes after one that found {@code due} deliveries due. */
  static Duration nextPass(int due, Duration every) {
    Duration sooner = due >= HistoryLimits.BATCH ? CATCH_UP : due > 0 ? STILL_DUE : every;
    return every.compareTo(sooner) < 0 ? every : sooner;
  }

  private void schedulePass(Duration delay) {
    ScheduledExecutorService w = worker;
    try {
      if (w != null) {
        w.schedule(this::pass, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      // stopped
    }
  }

  /**
   * Without its phase label the delivery matches the controller's selector again; the reconciler
   * then replays it and writes the label back when it finishes.
   */
  private void release(String namespace, String name) {
    try {
      WebhookDelivery ref = new WebhookDelivery();
      ref.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
      Patches.removeLabel(context.getClient(), WebhookDelivery.class, ref, Herald.LABEL_PHASE);
      LOG.debug("delivery {}/{}: replay requested, handed back to the controller", namespace, name);
    } catch (KubernetesClientException e) {
      // the next pass tries again while the store still shows the request
      LOG.warn("delivery {}/{}: replay not started: {}", namespace, name, e.getMessage());
    }
  }

  /** Hands replays to the worker thread: informer callbacks must not block on API calls. */
  private final class ReplayWatch implements ResourceEventHandler<WebhookDelivery> {
    @Override
    public void onAdd(WebhookDelivery d) {
      check(d);
    }

    @Override
    public void onUpdate(WebhookDelivery before, WebhookDelivery after) {
      check(after);
    }

    @Override
    public void onDelete(WebhookDelivery d, boolean deletedFinalStateUnknown) {
      // nothing to do: the store has forgotten it
    }

    private void check(WebhookDelivery d) {
      if (!DeliveryStatuses.replayRequested(d)) {
        return;
      }
      String namespace = d.getMetadata().getNamespace();
      String name = d.getMetadata().getName();
      ScheduledExecutorService w = worker;
      try {
        if (w != null) {
          w.execute(() -> release(namespace, name));
        }
      } catch (RejectedExecutionException e) {
        // stopping: the next leader's informer sees the request again when it lists
      }
    }
  }

  @Override
  public Set<WebhookDelivery> getSecondaryResources(WebhookDelivery primary) {
    return Set.of();
  }
}
