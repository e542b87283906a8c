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
 * @param reconcileThreads concurrent reconciles (each may wait on one HTTP attempt)
 * @param secretRetry how soon an unreadable signing Secret is tried again
 * @param closeClientOnStop false when the caller owns the Kubernetes client (tests, embedded demo)
 * @param leaseNamespace where the leader-election Lease lives; null runs without leader election
 * @param maxInFlightPerEndpoint attempts in flight to one endpoint at once
 * @param kubeApiQps sustained Kubernetes API requests a second (watches aside); 0: no limit
 * @param kubeApiBurst Kubernetes API requests sent at once after a quiet spell
 * @param labelSelector only resources matching it are watched (sharding by label); null: all
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
    double kubeApiQps,
    int kubeApiBurst,
    String labelSelector) {
  public static final String LEASE_NAME = "herald-operator";
  /**
   * A delivery costs a handful of requests (re-read, status patch, an Event now and then), so 50
   * a second carries some ten deliveries a second, while staying a small share of an API server's
   * default 600 concurrent requests; kube-controller-manager runs all its controllers on 20/30.
   */
  public static final double DEFAULT_KUBE_API_QPS = 50;
  public static final int DEFAULT_KUBE_API_BURST = 100;

  /**
   * The leader-election Lease: one per label shard, so that the instances of different shards do
   * not wait for one another's lease. Without a selector the name stays what it always was, so
   * an upgrade keeps the running replica's lease.
   */
  public String leaseName() {
    return labelSelector == null
        ? LEASE_NAME
        : LEASE_NAME + "-" + HexFormat.of().formatHex(Hashes.sha256(labelSelector), 0, 5);
  }

  public static HeraldConfig defaults() {
    return new HeraldConfig(
        Set.of(), 50, SenderOptions.defaults(), Duration.ofSeconds(30), Clock.systemUTC(), true,
        null, 10, DEFAULT_KUBE_API_QPS, DEFAULT_KUBE_API_BURST, null);
  }

  public HeraldConfig withNamespaces(Set<String> value) {
    return new HeraldConfig(
        value, reconcileThreads, senderOptions, secretRetry, clock, closeClientOnStop,
        leaseNamespace, maxInFlightPerEndpoint, kubeApiQps, kubeApiBurst, labelSelector);
  }

  public HeraldConfig withReconcileThreads(int value) {
    return new HeraldConfig(
        namespaces, value, senderOptions, secretRetry, clock, closeClientOnStop,
        leaseNamespace, maxInFlightPerEndpoint, kubeApiQps, kubeApiBurst, labelSelector);
  }

  public HeraldConfig withSenderOptions(SenderOptions value) {
    return new HeraldConfig(
        namespaces, reconcileThreads, value, secretRetry, clock, closeClientOnStop,
        leaseNamespace, maxInFlightPerEndpoint, kubeApiQps, kubeApiBurst, labelSelector);
  }

  public HeraldConfig withSecretRetry(Duration value) {
    return new HeraldConfig(
        namespaces, reconcileThreads, senderOptions, value, clock, closeClientOnStop,
        leaseNamespace, maxInFlightPerEndpoint, kubeApiQps, kubeApiBurst, labelSelector);
  }

  public HeraldConfig withCloseClientOnStop(boolean value) {
    return new HeraldConfig(
        namespaces, reconcileThreads, senderOptions, secretRetry, clock, value,
        leaseNamespace, maxInFlightPerEndpoint, kubeApiQps, kubeApiBurst, labelSelector);
  }

  public HeraldConfig withLeaseNamespace(String value) {
    return new HeraldConfig(
        namespaces, reconcileThreads, senderOptions, secretRetry, clock, closeClientOnStop,
        value, maxInFlightPerEndpoint, kubeApiQps, kubeApiBurst, labelSelector);
  }

  public HeraldConfig withMaxInFlightPerEndpoint(int value) {
    return new HeraldConfig(
        namespaces, reconcileThreads, senderOptions, secretRetry, clock, closeClientOnStop,
        leaseNamespace, value, kubeApiQps, kubeApiBurst, labelSelector);
  }

  public HeraldConfig withKubeApiQps(double value) {
    return new HeraldConfig(
        namespaces, reconcileThreads, senderOptions, secretRetry, clock, closeClientOnStop,
        leaseNamespace, maxInFlightPerEndpoint, value, kubeApiBurst, labelSelector);
  }

  public HeraldConfig withKubeApiBurst(int value) {
    return new HeraldConfig(
        namespaces, reconcileThreads, senderOptions, secretRetry, clock, closeClientOnStop,
        leaseNamespace, maxInFlightPerEndpoint, kubeApiQps, value, labelSelector);
  }

  public HeraldConfig withLabelSelector(String value) {
    return new HeraldConfig(
        namespaces, reconcileThreads, senderOptions, secretRetry, clock, closeClientOnStop,
        leaseNamespace, maxInFlightPerEndpoint, kubeApiQps, kubeApiBurst, value);
  }
}
