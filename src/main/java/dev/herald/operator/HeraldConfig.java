package dev.herald.operator;

import dev.herald.http.SenderOptions;
import dev.herald.kube.Hashes;
import dev.herald.retention.FinishedBudget;
import dev.herald.tracing.TracingSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;

/**
 * How one Herald operator instance runs.
 *
 * @param namespaces namespaces to watch; empty means all
 * @param reconcileThreads concurrent reconciles (they wait on API calls, never on a webhook
 *     attempt)
 * @param secretRetry how soon an unreadable signing Secret is tried again
 * @param closeClientOnStop false when the caller owns the Kubernetes client (tests, embedded demo)
 * @param leaseNamespace where the leader-election Lease lives; null runs without leader election
 * @param maxInFlightPerEndpoint attempts in flight to one endpoint at once
 * @param maxInFlight attempts in flight overall
 * @param kubeApiQps sustained Kubernetes API requests a second (watches aside); 0: no limit
 * @param kubeApiBurst Kubernetes API requests sent at once after a quiet spell
 * @param labelSelector only resources matching it are watched (sharding by label); null: all
 * @param historySweep how often finished deliveries are checked against retention (ttl, keep)
 * @param minDigestInterval the shortest spec.interval a WebhookDigest may run at (the CRD refuses
 *     less than a minute; this also holds for objects stored before that rule)
 * @param finishedBudget finished objects kept per namespace and per cluster, for each kind
 *     (deliveries, events) on its own
 * @param eventTtlAfterFinished how long a WebhookEvent is kept once it and its deliveries finished
 * @param crashBeforeEventStatus test only: the process halts (as on SIGKILL) right before the first
 *     event status write that follows deliveries it created for failed first attempts
 * @param tracing how attempt spans are exported ({@code --otlp-endpoint}, {@code OTEL_*}); null: no
 *     spans, and no OpenTelemetry SDK is started
 */
public record HeraldConfig(
    Set<String> namespaces,
    int reconcileThreads,
    SenderOptions senderOptions,
    Duration secretRetry,
    Clock clock,
    boolean closeClientOnStop,
    String leaseNamespace,
    int maxInFlightPerEndpoint,
    int maxInFlight,
    double kubeApiQps,
    int kubeApiBurst,
    String labelSelector,
    Duration historySweep,
    Duration minDigestInterval,
    FinishedBudget finishedBudget,
    Duration eventTtlAfterFinished,
    boolean crashBeforeEventStatus,
    TracingSettings tracing) {
  public static final String LEASE_NAME = "herald-operator";

  /**
   * Herald writes for every delivery (one CR per delivery: a status and a label patch when it
   * succeeds at the first try, more for retries), so it needs more than kube-controller-manager's
   * 20/30 for all its controllers: 200 a second carries some 80-100 deliveries a second and stays
   * within the API server's default 200 mutating requests in flight. Lower it on a shared control
   * plane; raise it with the API server's capacity.
   */
  public static final double DEFAULT_KUBE_API_QPS = 200;

  public static final int DEFAULT_KUBE_API_BURST = 400;

  /**
   * API requests open at once, the rest waiting in the operator's per-namespace fair line: beyond a
   * few, more open requests only queue at the API server, where a noisy namespace's writes stand in
   * front of everyone's (bench fairness: a quiet namespace's p50 14x with no bound, 1.1x with 4, at
   * the same throughput).
   */
  public static final int DEFAULT_KUBE_API_MAX_IN_FLIGHT = 4;

  /**
   * As long as a delivery's default {@code history.ttlAfterFinished}: an event may be the only
   * record of the deliveries it sent.
   */
  public static final Duration DEFAULT_EVENT_TTL_AFTER_FINISHED = Duration.ofHours(168);

  /**
   * The leader-election Lease: one per label shard, so that the instances of different shards do
   * not wait for one another's lease. Without a selector the name stays what it always was, so an
   * upgrade keeps the running replica's lease.
   */
  public String leaseName() {
    return labelSelector == null
        ? LEASE_NAME
        : LEASE_NAME + "-" + HexFormat.of().formatHex(Hashes.sha256(labelSelector), 0, 5);
  }

  /** The defaults of the command line: all namespaces, no leader election, https only. */
  public static HeraldConfig defaults() {
    return builder().build();
  }

  /** A builder holding the {@link #defaults}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this configuration, to change a few parts of it (tests start from theirs).
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.namespaces = namespaces;
    b.reconcileThreads = reconcileThreads;
    b.senderOptions = senderOptions;
    b.secretRetry = secretRetry;
    b.clock = clock;
    b.closeClientOnStop = closeClientOnStop;
    b.leaseNamespace = leaseNamespace;
    b.maxInFlightPerEndpoint = maxInFlightPerEndpoint;
    b.maxInFlight = maxInFlight;
    b.kubeApiQps = kubeApiQps;
    b.kubeApiBurst = kubeApiBurst;
    b.labelSelector = labelSelector;
    b.historySweep = historySweep;
    b.minDigestInterval = minDigestInterval;
    b.finishedBudget = finishedBudget;
    b.eventTtlAfterFinished = eventTtlAfterFinished;
    b.crashBeforeEventStatus = crashBeforeEventStatus;
    b.tracing = tracing;
    return b;
  }

  /** Each method sets the component of the same name; whatever is not set keeps its default. */
  public static final class Builder {
    private Set<String> namespaces = Set.of();
    private int reconcileThreads = 50;
    private SenderOptions senderOptions = SenderOptions.defaults();
    private Duration secretRetry = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();
    private boolean closeClientOnStop = true;
    private String leaseNamespace = null;
    private int maxInFlightPerEndpoint = 10;
    private int maxInFlight = 500;
    private double kubeApiQps = DEFAULT_KUBE_API_QPS;
    private int kubeApiBurst = DEFAULT_KUBE_API_BURST;
    private String labelSelector = null;
    private Duration historySweep = Duration.ofSeconds(10);
    private Duration minDigestInterval = Duration.ofMinutes(1);
    private FinishedBudget finishedBudget = FinishedBudget.DEFAULT;
    private Duration eventTtlAfterFinished = DEFAULT_EVENT_TTL_AFTER_FINISHED;
    private boolean crashBeforeEventStatus = false;
    private TracingSettings tracing = null;

    private Builder() {}

    public Builder namespaces(Set<String> value) {
      this.namespaces = value;
      return this;
    }

    public Builder reconcileThreads(int value) {
      this.reconcileThreads = value;
      return this;
    }

    public Builder senderOptions(SenderOptions value) {
      this.senderOptions = value;
      return this;
    }

    public Builder secretRetry(Duration value) {
      this.secretRetry = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    public Builder closeClientOnStop(boolean value) {
      this.closeClientOnStop = value;
      return this;
    }

    public Builder leaseNamespace(String value) {
      this.leaseNamespace = value;
      return this;
    }

    public Builder maxInFlightPerEndpoint(int value) {
      this.maxInFlightPerEndpoint = value;
      return this;
    }

    public Builder maxInFlight(int value) {
      this.maxInFlight = value;
      return this;
    }

    public Builder kubeApiQps(double value) {
      this.kubeApiQps = value;
      return this;
    }

    public Builder kubeApiBurst(int value) {
      this.kubeApiBurst = value;
      return this;
    }

    public Builder labelSelector(String value) {
      this.labelSelector = value;
      return this;
    }

    public Builder historySweep(Duration value) {
      this.historySweep = value;
      return this;
    }

    public Builder minDigestInterval(Duration value) {
      this.minDigestInterval = value;
      return this;
    }

    public Builder finishedBudget(FinishedBudget value) {
      this.finishedBudget = value;
      return this;
    }

    public Builder eventTtlAfterFinished(Duration value) {
      this.eventTtlAfterFinished = value;
      return this;
    }

    public Builder crashBeforeEventStatus(boolean value) {
      this.crashBeforeEventStatus = value;
      return this;
    }

    public Builder tracing(TracingSettings value) {
      this.tracing = value;
      return this;
    }

    public HeraldConfig build() {
      return new HeraldConfig(
          namespaces,
          reconcileThreads,
          senderOptions,
          secretRetry,
          clock,
          closeClientOnStop,
          leaseNamespace,
          maxInFlightPerEndpoint,
          maxInFlight,
          kubeApiQps,
          kubeApiBurst,
          labelSelector,
          historySweep,
          minDigestInterval,
          finishedBudget,
          eventTtlAfterFinished,
          crashBeforeEventStatus,
          tracing);
    }
  }
}
