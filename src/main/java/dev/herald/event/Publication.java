package dev.herald.event;

import dev.herald.api.v1alpha1.EndpointOutcome;
import dev.herald.event.Routes.Route;
import dev.herald.http.AttemptResult;
import dev.herald.http.TraceHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One event being published by this process: the routes it took, its first attempts in flight and
 * their results, and what is recorded so far. Kept until the event's status is written, so that a
 * failed write (or a reconcile that fails part way) is tried again without sending again. Only a
 * crash loses it; the event is then published again with the same webhook-id (at least once).
 */
final class Publication {
  /** A first attempt's result and its times. */
  record Returned(Route route, AttemptResult result, Instant started, Instant finished) {}

  final String eventId;
  final List<Route> routes;

  /** Whom the event is for, as decided when it started (named endpoints not reached included). */
  final Targets.Audience audience;

  /** The event's checked trace context, which each first attempt's span is a child of; or null. */
  final TraceHeaders trace;

  private final Map<String, Instant> open = new LinkedHashMap<>();
  private final Map<String, Returned> returned = new LinkedHashMap<>();

  /** Outcomes of endpoints whose part is done (delivery placed, or delivered), by endpoint. */
  private final Map<String, EndpointOutcome> outcomes = new LinkedHashMap<>();

  private final Set<String> reported = new HashSet<>();
  private final List<String> conflicts = new ArrayList<>();

  /** Routes whose first attempt waits for a free slot, with since when. */
  private final Map<String, Route> waiting = new LinkedHashMap<>();

  private final Map<String, Instant> waitingSince = new LinkedHashMap<>();

  /** Endpoints that take a delivery after all (no slot, no readable key), with why. */
  private final Map<String, String> redirected = new LinkedHashMap<>();

  Publication(String eventId, List<Route> routes, Targets.Audience audience, TraceHeaders trace) {
    this.trace = trace;
    this.eventId = eventId;
    this.routes = List.copyOf(routes);
    this.audience = audience;
  }

  /** System.nanoTime() when the last open attempt returned; meaningful when not open. */
  private long closedNanos = System.nanoTime();

  synchronized void started(String endpoint, Instant at) {
    waiting.remove(endpoint);
    waitingSince.remove(endpoint);
    open.put(endpoint, at);
  }

  /** The route's first attempt found no free slot; it keeps the time it first waited. */
  synchronized void waitForSlot(Route route, Instant now) {
    waiting.put(route.name(), route);
    waitingSince.putIfAbsent(route.name(), now);
  }

  /** The routes that wait for a slot, each with since when. */
  synchronized Map<Route, Instant> waiting() {
    Map<Route, Instant> copy = new LinkedHashMap<>();
    waiting.forEach((name, route) -> copy.put(route, waitingSince.get(name)));
    return copy;
  }

  /** The endpoint takes a delivery: its first attempt could not start. */
  synchronized void redirect(String endpoint, String why) {
    waiting.remove(endpoint);
    waitingSince.remove(endpoint);
    redirected.put(endpoint, why);
  }

  synchronized boolean redirected(String endpoint) {
    return redirected.containsKey(endpoint);
  }

  /** Parks a result; true when it was the last one open. */
  synchronized boolean returned(Route route, AttemptResult result, Instant finished) {
    Instant started = open.remove(route.name());
    if (started == null) {
      return false;
    }
    returned.put(route.name(), new Returned(route, result, started, finished));
    closedNanos = System.nanoTime();
    return open.isEmpty();
  }

  /** Attempts are open or wait for a slot: the event's status is not written yet. */
  synchronized boolean open() {
    return !open.isEmpty() || !waiting.isEmpty();
  }

  /** Every attempt returned at least {@code nanos} ago, and the event was not recorded since. */
  synchronized boolean closedFor(long nanos) {
    return open.isEmpty() && waiting.isEmpty() && System.nanoTime() - closedNanos > nanos;
  }

  synchronized List<Returned> results() {
    return List.copyOf(returned.values());
  }

  synchronized boolean done(String endpoint) {
    return outcomes.containsKey(endpoint);
  }

  synchronized void done(EndpointOutcome outcome, String conflict) {
    outcomes.put(outcome.getEndpoint(), outcome);
    if (conflict != null) {
      conflicts.add(conflict);
    }
  }

  synchronized List<EndpointOutcome> outcomes() {
    return List.copyOf(outcomes.values());
  }

  synchronized List<String> conflicts() {
    return List.copyOf(conflicts);
  }

  /** True the first time it is asked for {@code endpoint}: its outcome is counted once. */
  synchronized boolean firstReport(String endpoint) {
    return reported.add(endpoint);
  }
}
