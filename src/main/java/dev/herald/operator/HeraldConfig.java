package dev.herald.operator;

import dev.herald.http.SenderOptions;
import dev.herald.kube.Hashes;
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
    Duration minDigestInterval) {
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
   * The leader-election Lease: one per label shard, so that the instances of different shards do
   * not wait for one another's lease. Without a selector the name stays what it always was, so an
   * upgrade keeps the running replica's lease.
   */
  public String leaseName() {
    return labelSelector == null
        ? LEASE_NAME
        : LEASE_NAME + "-" + HexFormat.of().formatHex(Hashes.sha256(labelSelector), 0, 5);
  }

  public static HeraldConfig defaults() {
    return new HeraldConfig(
        Set.of(),
        50,
        SenderOptions.defaults(),
        Duration.ofSeconds(30),
        Clock.systemUTC(),
        true,
        null,
        10,
        500,
        DEFAULT_KUBE_API_QPS,
        DEFAULT_KUBE_API_BURST,
        null,
        Duration.ofSeconds(10),
        Duration.ofMinutes(1));
  }

  public HeraldConfig withNamespaces(Set<String> value) {
    return new HeraldConfig(
        value,
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
        minDigestInterval);
  }

  public HeraldConfig withReconcileThreads(int value) {
    return new HeraldConfig(
        namespaces,
        value,
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
        minDigestInterval);
  }

  public HeraldConfig withSenderOptions(SenderOptions value) {
    return new HeraldConfig(
        namespaces,
        reconcileThreads,
        value,
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
        minDigestInterval);
  }

  public HeraldConfig withSecretRetry(Duration value) {
    return new HeraldConfig(
        namespaces,
        reconcileThreads,
        senderOptions,
        value,
        clock,
        closeClientOnStop,
        leaseNamespace,
        maxInFlightPerEndpoint,
        maxInFlight,
        kubeApiQps,
        kubeApiBurst,
        labelSelector,
        historySweep,
        minDigestInterval);
  }

  public HeraldConfig withCloseClientOnStop(boolean value) {
    return new HeraldConfig(
        namespaces,
        reconcileThreads,
        senderOptions,
        secretRetry,
        clock,
        value,
        leaseNamespace,
        maxInFlightPerEndpoint,
        maxInFlight,
        kubeApiQps,
        kubeApiBurst,
        labelSelector,
        historySweep,
        minDigestInterval);
  }

  public HeraldConfig withLeaseNamespace(String value) {
    return new HeraldConfig(
        namespaces,
        reconcileThreads,
        senderOptions,
        secretRetry,
        clock,
        closeClientOnStop,
        value,
        maxInFlightPerEndpoint,
        maxInFlight,
        kubeApiQps,
        kubeApiBurst,
        labelSelector,
        historySweep,
        minDigestInterval);
  }

  public HeraldConfig withMaxInFlightPerEndpoint(int value) {
    return new HeraldConfig(
        namespaces,
        reconcileThreads,
        senderOptions,
        secretRetry,
        clock,
        closeClientOnStop,
        leaseNamespace,
        value,
        maxInFlight,
        kubeApiQps,
        kubeApiBurst,
        labelSelector,
        historySweep,
        minDigestInterval);
  }

  public HeraldConfig withMaxInFlight(int value) {
    return new HeraldConfig(
        namespaces,
        reconcileThreads,
        senderOptions,
        secretRetry,
        clock,
        closeClientOnStop,
        leaseNamespace,
        maxInFlightPerEndpoint,
        value,
        kubeApiQps,
        kubeApiBurst,
        labelSelector,
        historySweep,
        minDigestInterval);
  }

  public HeraldConfig withKubeApiQps(double value) {
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
        value,
        kubeApiBurst,
        labelSelector,
        historySweep,
        minDigestInterval);
  }

  public HeraldConfig withKubeApiBurst(int value) {
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
        value,
        labelSelector,
        historySweep,
        minDigestInterval);
  }

  public HeraldConfig withLabelSelector(String value) {
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
        value,
        historySweep,
        minDigestInterval);
  }

  public HeraldConfig withHistorySweep(Duration value) {
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
        value,
        minDigestInterval);
  }

  public HeraldConfig withMinDigestInterval(Duration value) {
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
        value);
  }
}
