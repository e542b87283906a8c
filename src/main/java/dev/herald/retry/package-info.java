/**
 * The retry state machine of a webhook delivery, as pure functions.
 *
 * <p>Nothing here reads a clock or talks to Kubernetes: the reconciler passes the current time in
 * and writes the returned progress to the status. That keeps every schedule testable to the exact
 * instant, and makes a reconcile that is repeated (the normal case for an operator) compute the
 * same answer from the same status.
 */
package dev.herald.retry;
