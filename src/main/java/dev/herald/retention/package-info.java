/**
 * How many finished objects Herald leaves in etcd: the budget per namespace and per cluster that
 * bounds finished deliveries and events whatever the number of endpoints, which of them go first
 * ({@link dev.herald.retention.FinishedBudget}), and how an eviction is reported ({@link
 * dev.herald.retention.Evictions}). Unfinished objects are never counted or deleted here.
 */
package dev.herald.retention;
