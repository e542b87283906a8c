package dev.herald.operator;

import dev.herald.http.SenderOptions;
import java.time.Clock;
import java.time.Duration;
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
 * @param historySweep how often finished deliveries are checked against retention (ttl, keep)
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
    Duration historySweep) {
  public static final String LEASE_NAME = "herald-operator";

  public static HeraldConfig defaults() {
    return new HeraldConfig(Set.of(), 50, SenderOptions.defaults(), Duration.ofSeconds(30), Clock.systemUTC(), true, null, 10, Duration.ofSeconds(10));
  }

  public HeraldConfig withNamespaces(Set<String> value) {
    return new HeraldConfig(value, reconcileThreads, senderOptions, secretRetry, clock, closeClientOnStop, leaseNamespace, maxInFlightPerEndpoint, historySweep);
  }

  public HeraldConfig withReconcileThreads(int value) {
    return new HeraldConfig(namespaces, value, senderOptions, secretRetry, clock, closeClientOnStop, leaseNamespace, maxInFlightPerEndpoint, historySweep);
  }

  public HeraldConfig withSenderOptions(SenderOptions value) {
    return new HeraldConfig(namespaces, reconcileThreads, value, secretRetry, clock, closeClientOnStop, leaseNamespace, maxInFlightPerEndpoint, historySweep);
  }

  public HeraldConfig withSecretRetry(Duration value) {
    return new HeraldConfig(namespaces, reconcileThreads, senderOptions, value, clock, closeClientOnStop, leaseNamespace, maxInFlightPerEndpoint, historySweep);
  }

  public HeraldConfig withCloseClientOnStop(boolean value) {
    return new HeraldConfig(namespaces, reconcileThreads, senderOptions, secretRetry, clock, value, leaseNamespace, maxInFlightPerEndpoint, historySweep);
  }

  public HeraldConfig withLeaseNamespace(String value) {
    return new HeraldConfig(namespaces, reconcileThreads, senderOptions, secretRetry, clock, closeClientOnStop, value, maxInFlightPerEndpoint, historySweep);
  }

  public HeraldConfig withMaxInFlightPerEndpoint(int value) {
    return new HeraldConfig(
        namespaces, reconcileThreads, senderOptions, secretRetry, clock, closeClientOnStop, leaseNamespace, value, historySweep);
  }

  public HeraldConfig withHistorySweep(Duration value) {
    return new HeraldConfig(
        namespaces, reconcileThreads, senderOptions, secretRetry, clock, closeClientOnStop, leaseNamespace,
        maxInFlightPerEndpoint, value);
  }
}
