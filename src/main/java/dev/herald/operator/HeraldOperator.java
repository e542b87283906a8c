package dev.herald.operator;

import dev.herald.api.v1alpha1.EventReason;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.delivery.AttemptSlots;
import dev.herald.delivery.DeliveryOptions;
import dev.herald.delivery.WebhookDeliveryReconciler;
import dev.herald.digest.WebhookDigestReconciler;
import dev.herald.endpoint.EndpointCredentials;
import dev.herald.endpoint.EndpointHealth;
import dev.herald.endpoint.EndpointTls;
import dev.herald.endpoint.GeneratedSigningSecrets;
import dev.herald.endpoint.SigningKeys;
import dev.herald.endpoint.WebhookEndpointReconciler;
import dev.herald.event.WebhookEventReconciler;
import dev.herald.http.WebhookSender;
import dev.herald.kube.EventRecorder;
import dev.herald.kube.UnreadableFilter;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.retention.Evictions;
import dev.herald.retention.FinishedEvents;
import dev.herald.tracing.AttemptTracer;
import dev.herald.tracing.Tracing;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Wires Herald's reconcilers, the webhook sender and the Kubernetes client into one operator. */
public final class HeraldOperator implements AutoCloseable {
  private final Operator operator;
  private final Vertx vertx;
  private final WebhookSender sender;

  /** Attempt spans; closed (flushed) after the last attempt is recorded. */
  private final AttemptTracer tracer;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(HeraldOperator.class);
  private volatile boolean closing;
  private static final java.time.Duration PENDING_REFRESH = java.time.Duration.ofSeconds(5);

  /**
   * Longer than the longest endpoint timeout users usually set; Kubernetes' grace period is 30 s by
   * default.
   */
  private static final java.time.Duration CACHE_SYNC_TIMEOUT = java.time.Duration.ofMinutes(10);

  private static final java.time.Duration DRAIN_TIMEOUT = java.time.Duration.ofSeconds(25);
  private final HeraldMetrics metrics;
  private final WebhookDeliveryReconciler deliveries;
  private final WebhookEventReconciler publisher;
  private final EndpointHealth health;
  private final KubernetesClient client;
  private final boolean closeClient;

  /** Deletes finished WebhookEvents; runs on the leader only, like the controllers. */
  private final FinishedEvents finishedEvents;

  private final boolean leaderElection;

  /** Deliveries and events that could not be read are reported and skipped, never reconciled. */
  private final UnreadableFilter<WebhookDelivery> unreadableDeliveries;

  private final UnreadableFilter<WebhookEvent> unreadableEvents;
  private final java.util.concurrent.ScheduledExecutorService pendingGauges =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "herald-pending-gauges");
            t.setDaemon(true);
            return t;
          });

  public HeraldOperator(KubernetesClient client, HeraldConfig config) {
    this(client, config, HeraldMetrics.prometheus());
  }

  /**
   * With the metrics the Kubernetes client counts its requests on ({@link
   * dev.herald.kube.client.KubeApiClient}), so /metrics shows them.
   */
  public HeraldOperator(KubernetesClient client, HeraldConfig config, HeraldMetrics metrics) {
    this.metrics = metrics;
    this.client = client;
    this.closeClient = config.closeClientOnStop();
    this.vertx = Vertx.vertx();
    this.sender = new WebhookSender(vertx, config.senderOptions());
    this.tracer = Tracing.start(config.tracing());
    // JSON patches rather than server-side apply: status fields we clear must disappear, and the
    // same code path then runs against fabric8's mock server in tests.
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withParseResourceVersions(true)
                  // closed by close() itself, after the last endpoint health is written
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(config.reconcileThreads())
                  // waiting reconciles are served round robin per namespace (one tenant's backlog
                  // cannot
                  // starve the others), and JOSDK's reschedule-versus-deletion race ends no thread
                  .withExecutorService(
                      ReconcileExecutor.create(config.reconcileThreads(), metrics.pickup()))
                  // The first list of a namespace with tens of thousands of deliveries (the API
                  // server filters finished ones out only after reading them) outlasts JOSDK's 2
                  // min.
                  .withCacheSyncTimeout(CACHE_SYNC_TIMEOUT);
              if (config.leaseNamespace() != null) {
                // Standby replicas start no controllers: two replicas never send the same attempt.
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        config.leaseName(),
                        config.leaseNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        null,
                        new LeaderCallbacks(this::startLeading, this::leadershipLost, leader -> {}),
                        false));
              }
            });
    var keys = new SigningKeys(client);
    var credentials = new EndpointCredentials(client);
    var tls = new EndpointTls(client, vertx, config.clock());
    var events = new EventRecorder(client, config.clock(), metrics);
    this.leaderElection = config.leaseNamespace() != null;
    this.finishedEvents =
        new FinishedEvents(
            client,
            config.namespaces(),
            config.labelSelector(),
            config.eventTtlAfterFinished(),
            config.finishedBudget(),
            config.historySweep(),
            new Evictions(
                metrics, events, config.clock(), "WebhookEvent", EventReason.BudgetExceeded),
            config.clock());
    this.unreadableDeliveries = new UnreadableFilter<>(events);
    this.unreadableEvents = new UnreadableFilter<>(events);
    this.health = new EndpointHealth(client, metrics, events);
    // one accounting of open requests for deliveries and events' first attempts alike
    var slots =
        new AttemptSlots(
            config.maxInFlight(),
            config.maxInFlightPerEndpoint(),
            config.clock(),
            AttemptSlots.daemonTimer());
    this.deliveries =
        new WebhookDeliveryReconciler(
            sender,
            keys,
            credentials,
            health,
            events,
            metrics,
            new DeliveryOptions(
                config.clock(),
                config.secretRetry(),
                config.maxInFlight(),
                config.maxInFlightPerEndpoint(),
                config.labelSelector(),
                config.historySweep(),
                config.finishedBudget()),
            slots,
            tls,
            tracer);
    this.publisher =
        new WebhookEventReconciler(
            config.clock(),
            events,
            config.labelSelector(),
            sender,
            keys,
            credentials,
            slots,
            health,
            metrics,
            tls,
            tracer);
    if (config.crashBeforeEventStatus()) {
      publisher.crashBeforeStatusAfterDeliveries(() -> Runtime.getRuntime().halt(137));
    }
    operator.register(
        new WebhookEndpointReconciler(
            new GeneratedSigningSecrets(client),
            keys,
            credentials,
            events,
            config.clock(),
            config.secretRetry(),
            tls),
        o -> watch(o, config));
    operator.register(publisher, o -> watch(o, config).withGenericFilter(unreadableEvents));
    operator.register(
        new WebhookDigestReconciler(
            vertx, sender, events, config.clock(), sender.egress(), config.minDigestInterval()),
        o -> watch(o, config));
    operator.register(deliveries, o -> watch(o, config).withGenericFilter(this::acceptDelivery));
  }

  /**
   * Unreadable deliveries are kept away; a new one (never reconciled, no status) starts its pickup
   * clock here, on the informer's thread, as JOSDK is handed it.
   */
  private boolean acceptDelivery(WebhookDelivery delivery) {
    if (!unreadableDeliveries.accept(delivery)) {
      return false;
    }
    if (delivery.getStatus() == null && delivery.getMetadata().getDeletionTimestamp() == null) {
      metrics
          .pickup()
          .received(delivery.getMetadata().getNamespace(), delivery.getMetadata().getName());
    }
    return true;
  }

  /**
   * Every controller's common settings. No periodic reconcile: each state that waits is woken by a
   * reschedule of its own or by an event source, and JOSDK's safety reconcile (every 10 hours by
   * default) is a task on a {@link java.util.Timer}, replaced on every reconcile. The timer keeps a
   * replaced (cancelled) task until its time comes, so each reconcile left about 200 bytes on the
   * heap for 10 hours: at 80 deliveries a second more than a gigabyte, where the chart gives the
   * heap 256 MiB.
   */
  private static <P extends io.fabric8.kubernetes.api.model.HasMetadata>
      ControllerConfigurationOverrider<P> watch(
          ControllerConfigurationOverrider<P> overrider, HeraldConfig config) {
    overrider.withReconciliationMaxInterval(null);
    if (!config.namespaces().isEmpty()) {
      overrider.settingNamespaces(config.namespaces());
    }
    if (config.labelSelector() != null) {
      overrider.withLabelSelector(config.labelSelector());
    }
    return overrider;
  }

  /**
   * A replica that lost its lease must stop sending at once: exiting lets Kubernetes restart it as
   * a standby. Not while closing, where JOSDK's own exit would block the shutdown hook.
   */
  private void leadershipLost() {
    if (!closing) {
      LOG.error("lost the leader-election lease; exiting so a standby takes over");
      new Thread(() -> System.exit(1), "herald-lost-lease").start();
    }
  }

  /** Called by JOSDK's leader election once this replica leads (after its controllers start). */
  private void startLeading() {
    if (!closing) {
      finishedEvents.start();
    }
  }

  public HeraldOperator start() {
    operator.start();
    if (!leaderElection) {
      finishedEvents.start();
    }
    pendingGauges.scheduleAtFixedRate(
        this::refreshPendingGauges,
        PENDING_REFRESH.toSeconds(),
        PENDING_REFRESH.toSeconds(),
        TimeUnit.SECONDS);
    return this;
  }

  /** A periodic task that throws is never run again: keep going whatever a refresh hits. */
  private void refreshPendingGauges() {
    try {
      metrics.pending(deliveries.pendingSnapshot());
    } catch (RuntimeException e) {
      LOG.warn("pending-delivery gauges not refreshed: {}", e.toString());
    }
  }

  public HeraldMetrics metrics() {
    return metrics;
  }

  public RuntimeInfo runtimeInfo() {
    return operator.getRuntimeInfo();
  }

  /**
   * Open attempts are recorded before the controllers stop, so the next leader does not send them
   * again.
   */
  private void drainAttempts() {
    try {
      if (!publisher.drain(DRAIN_TIMEOUT)) {
        LOG.warn(
            "events still publishing after {}; they are published again (same webhook-id) after the restart",
            DRAIN_TIMEOUT);
      }
      if (!deliveries.drain(DRAIN_TIMEOUT)) {
        LOG.warn(
            "attempts still open after {}; they will be sent again (same webhook-id) after the restart",
            DRAIN_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing = true;
    pendingGauges.shutdownNow();
    finishedEvents.close();
    drainAttempts();
    operator.stop(); // waits for reconciles in flight
    health.close(); // writes the outcomes of the last second: needs the client
    unreadableDeliveries.close();
    unreadableEvents.close();
    sender.close();
    tracer.close(); // every attempt has ended its span: drained above, or given up on
    vertx
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
    if (closeClient) {
      client.close();
    }
  }
}
