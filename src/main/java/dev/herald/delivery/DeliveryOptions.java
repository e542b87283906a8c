package dev.herald.delivery;

import dev.herald.retention.FinishedBudget;
import java.time.Clock;
import java.time.Duration;

/**
 * The settings of the delivery controller.
 *
 * @param secretRetry a Secret we cannot read is looked at again at this pace, not in a hot loop
 * @param maxInFlight requests open at once, overall
 * @param maxInFlightPerEndpoint requests open at once to one endpoint
 * @param labelSelector the operator's shard (--label-selector): endpoints outside it are not
 *     cached; null: all
 * @param historySweep how often finished deliveries are checked against retention
 * @param finishedBudget finished deliveries kept per namespace and per cluster at most
 */
public record DeliveryOptions(
    Clock clock,
    Duration secretRetry,
    int maxInFlight,
    int maxInFlightPerEndpoint,
    String labelSelector,
    Duration historySweep,
    FinishedBudget finishedBudget) {}
