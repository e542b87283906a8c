package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.herald.e2e.FaultProxy.Fault;
import dev.herald.e2e.FaultProxy.Rule;
import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * API faults between the operator and the real API server ({@link FaultProxy}): conflicts on status
 * writes, 429 with Retry-After, 500/503 and dropped connections on any request. No delivery is
 * lost, no recorded attempt is skipped at the receiver, and an attempt whose result could not be
 * written at once is not sent a second time.
 */
class ApiFaultsE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("faults");
  private static final String DELIVERIES = "webhookdeliveries";

  /** Totals over the class, printed at the end. */
  private static final Map<Fault, Long> faults = new EnumMap<>(Fault.class);

  private static final AtomicInteger deliveries = new AtomicInteger();
  private static final AtomicInteger posts = new AtomicInteger();
  private static final AtomicInteger duplicates = new AtomicInteger();
  private static final AtomicInteger lost = new AtomicInteger();
  private static final AtomicLong started = new AtomicLong();

  @BeforeAll
  static void clock() {
    started.set(System.nanoTime());
  }

  @AfterAll
  static void summary() {
    E2EEnvironment.log(
        "ApiFaultsE2E: faults injected %s, %d deliveries, %d POSTs, %d duplicates, %d lost, %d s",
        faults,
        deliveries.get(),
        posts.get(),
        duplicates.get(),
        lost.get(),
        Duration.ofNanos(System.nanoTime() - started.get()).toSeconds());
  }

  @Test
  void aConflictAndThenA5xxOnTheStatusWriteNeitherLoseNorRepeatTheAttempt() {
    FaultProxy proxy = env.faultProxy(1);
    Rule conflict =
        Rule.named("status-409")
            .when(r -> isStatusWriteOf(r, "conflict-"))
            .respond(Fault.CONFLICT)
            .firstPerPath(1);
    Rule serverError =
        Rule.named("status-5xx")
            .when(r -> isStatusWriteOf(r, "conflict-"))
            .respond(Fault.INTERNAL_ERROR, Fault.UNAVAILABLE)
            .firstPerPath(1);
    proxy.addRule(conflict).addRule(serverError);
    OperatorProcess operator =
        env.startOperator(proxy.kubeconfig(), Map.of(), List.of()).awaitStarted();
    try {
      TestReceiver receiver = env.receiver();
      env.apply(endpoint("conflicts", receiver.url("/hooks"), "1s x5"));
      env.awaitField("whe", "conflicts", ".status.phase", "Active"::equals);
      List<String> names = IntStream.rangeClosed(1, 6).mapToObj(i -> "conflict-" + i).toList();
      names.forEach(name -> env.apply(delivery(name, "conflicts", "{\"n\": \"" + name + "\"}")));

      Tally tally = settle(names, Map.of("conflicts", receiver));
      E2EEnvironment.log(
          "409 then 5xx on each delivery's first status writes: %s; %s", tally, proxy.summary());
      record(proxy, tally);

      assertThat(conflict.injected())
          .as("one 409 per delivery")
          .containsEntry(Fault.CONFLICT, (long) names.size());
      assertThat(serverError.injectedTotal())
          .as("one 5xx per delivery, on the write after the 409")
          .isEqualTo(names.size());
      assertThat(tally.lost).as("deliveries not Succeeded or never received").isEmpty();
      assertThat(tally.skipped).as("attempts in status that never reached the receiver").isEmpty();
      assertThat(tally.duplicated)
          .as(
              "webhook-ids POSTed more often than status records attempts (a result not written was sent again)")
          .isEmpty();
      assertThat(operator.isAlive()).isTrue();
    } finally {
      operator.stop();
    }
  }

  @Test
  void aQuarterOfAllApiRequestsFailingLosesNoDeliveryAndSkipsNoRetry() {
    FaultProxy proxy = env.faultProxy(20261125L);
    Rule chaos =
        Rule.named("chaos")
            .when(r -> true)
            .respond(Fault.TOO_MANY_REQUESTS, Fault.INTERNAL_ERROR, Fault.UNAVAILABLE, Fault.DROP)
            .withProbability(0.25);
    proxy.addRule(chaos);
    // from the operator's first request on: its start-up lists and writes go through the same
    // faults
    OperatorProcess operator =
        env.startOperator(proxy.kubeconfig(), Map.of(), List.of()).awaitStarted();
    try {
      Map<String, AtomicInteger> seenById = new ConcurrentHashMap<>();
      TestReceiver flaky =
          env.receiver()
              .respondWith(
                  r ->
                      seenById
                                  .computeIfAbsent(
                                      r.header("webhook-id"), id -> new AtomicInteger())
                                  .incrementAndGet()
                              <= 2
                          ? Response.of(500, "not yet")
                          : null);
      Map<String, TestReceiver> receivers = new LinkedHashMap<>();
      receivers.put("steady-a", env.receiver());
      receivers.put("steady-b", env.receiver());
      receivers.put("flaky", flaky);
      receivers.forEach(
          (name, receiver) -> env.apply(endpoint(name, receiver.url("/hooks"), "1s x5")));
      receivers
          .keySet()
          .forEach(name -> env.awaitField("whe", name, ".status.phase", "Active"::equals));

      List<String> endpoints = List.copyOf(receivers.keySet());
      List<String> names = IntStream.rangeClosed(1, 21).mapToObj(i -> "chaos-" + i).toList();
      Map<String, String> endpointOf = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        endpointOf.put(names.get(i), endpoints.get(i % endpoints.size()));
        env.apply(delivery(names.get(i), endpointOf.get(names.get(i)), "{\"n\": " + i + "}"));
      }

      Tally tally = settle(names, receivers);
      // the operator keeps working under the same faults after the burst
      env.apply(delivery("chaos-after", "steady-a", "{\"n\": \"after\"}"));
      Tally after = settle(List.of("chaos-after"), receivers);
      long nonWatch =
          proxy.forwarded().entrySet().stream()
                  .filter(e -> !e.getKey().contains("watch"))
                  .mapToLong(Map.Entry::getValue)
                  .sum()
              + chaos.injectedTotal();
      E2EEnvironment.log(
          "25%% API faults: %s (+ %s); %d of %d non-watch requests faulted; %s",
          tally, after, chaos.injectedTotal(), nonWatch, proxy.summary());
      record(proxy, tally.plus(after));

      assertThat(chaos.injected())
          .as("every kind of fault was injected")
          .containsKeys(
              Fault.TOO_MANY_REQUESTS, Fault.INTERNAL_ERROR, Fault.UNAVAILABLE, Fault.DROP);
      assertThat((double) chaos.injectedTotal() / nonWatch)
          .as("share of non-watch requests faulted")
          .isBetween(0.15, 0.35);
      assertThat(tally.lost).as("deliveries not Succeeded or never received").isEmpty();
      assertThat(after.lost).as("a delivery after the burst").isEmpty();
      assertThat(tally.skipped).as("attempts in status that never reached the receiver").isEmpty();
      assertThat(tally.duplicated)
          .as("webhook-ids POSTed more often than status records attempts")
          .isEmpty();
      for (String name : names) {
        String codes = env.jsonpath("whd", name, ".status.attemptLog[*].statusCode");
        assertThat(codes)
            .as("%s on %s", name, endpointOf.get(name))
            .isEqualTo(endpointOf.get(name).equals("flaky") ? "500 500 200" : "200");
      }
      assertThat(operator.isAlive()).as("the operator survived the faults").isTrue();
    } finally {
      operator.stop();
    }
  }

  /**
   * The label write that follows a recorded attempt is refused (409, which fabric8 does not retry):
   * the attempt is already in status, so the retried reconcile only fixes the label, with no second
   * POST.
   */
  @Test
  void aRefusedLabelWriteAfterTheStatusSendsNothingAgain() {
    FaultProxy proxy = env.faultProxy(3);
    Rule labelFails =
        Rule.named("label-409")
            .when(r -> r.isPatchOf(DELIVERIES, "label-1"))
            .respond(Fault.CONFLICT)
            .first(3);
    proxy.addRule(labelFails);
    OperatorProcess operator =
        env.startOperator(proxy.kubeconfig(), Map.of(), List.of()).awaitStarted();
    try {
      TestReceiver receiver = env.receiver();
      env.apply(endpoint("labels", receiver.url("/hooks"), "1s x5"));
      env.awaitField("whe", "labels", ".status.phase", "Active"::equals);
      env.apply(delivery("label-1", "labels", "{\"n\": 1}"));

      Tally tally = settle(List.of("label-1"), Map.of("labels", receiver));
      record(proxy, tally);
      env.awaitField("whd", "label-1", ".metadata.labels.herald\\.dev/phase", "Succeeded"::equals);
      E2EEnvironment.log("label write refused: %s", tally);

      assertThat(labelFails.injectedTotal()).as("label writes answered 409").isEqualTo(3);
      assertThat(receiver.received()).as("exactly one POST").hasSize(1);
      assertThat(tally.lost).isEmpty();
      assertThat(env.jsonpath("whd", "label-1", ".status.attempts")).isEqualTo("1");
    } finally {
      operator.stop();
    }
  }

  /**
   * The proxy itself: a chunked HTTP watch ({@code ?watch=true}, what fabric8 falls back to and
   * kubectl uses) streams events as they happen over one open response and is left alone by a rule
   * that faults every other request on the same resource, which gets a Status fabric8 reads.
   */
  @Test
  void theProxyStreamsAChunkedWatchAndFaultsOnlyWhatTheRulesSay() throws Exception {
    FaultProxy proxy = env.faultProxy(4);
    Rule everyRead =
        Rule.named("configmaps-503")
            .when(r -> r.path().contains("/configmaps"))
            .respond(Fault.UNAVAILABLE)
            .withProbability(1.0);
    proxy.addRule(everyRead);
    Config config = Config.fromKubeconfig(Files.readString(proxy.kubeconfig()));
    config.setOnlyHttpWatches(true);
    config.setRequestRetryBackoffLimit(0);
    List<String> events = new CopyOnWriteArrayList<>();
    try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
      streamAndFault(client, proxy, everyRead, events);
    } finally {
      env.run("delete", "configmap", "streamed-1", "streamed-2", "--ignore-not-found");
    }
  }

  private void streamAndFault(
      KubernetesClient client, FaultProxy proxy, Rule everyRead, List<String> events) {
    try (var watch =
        client
            .configMaps()
            .inNamespace(env.ns())
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap cm) {
                    events.add(action + " " + cm.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      env.ok("create", "configmap", "streamed-1", "--from-literal=k=v");
      await("first event")
          .atMost(E2EEnvironment.WAIT)
          .until(() -> events.contains("ADDED streamed-1"));
      env.ok("create", "configmap", "streamed-2", "--from-literal=k=v");
      await("second event")
          .atMost(E2EEnvironment.WAIT)
          .until(() -> events.contains("ADDED streamed-2"));

      var failure =
          catchThrowableOfType(
              KubernetesClientException.class,
              () -> client.configMaps().inNamespace(env.ns()).withName("streamed-1").get());
      E2EEnvironment.log("chunked watch: events %s; %s", events, proxy.summary());
      assertThat(failure.getCode()).isEqualTo(503);
      assertThat(failure.getStatus().getReason()).isEqualTo("ServiceUnavailable");
      assertThat(proxy.forwarded())
          .as("both events came over one watch response")
          .containsEntry("GET watch", 1L);
      assertThat(everyRead.injected()).containsEntry(Fault.UNAVAILABLE, 1L);
      assertThat(watch).as("the events above came over this one open watch").isNotNull();
    }
  }

  private static boolean isStatusWriteOf(FaultProxy.Request r, String namePrefix) {
    return (r.method().equals("PATCH") || r.method().equals("PUT"))
        && r.path().contains("/" + DELIVERIES + "/" + namePrefix)
        && r.path().endsWith("/status");
  }

  /**
   * Waits until every delivery finished (or the wait runs out) and the receivers answered all they
   * got, then compares status with what the receivers saw per webhook-id.
   */
  private static Tally settle(List<String> names, Map<String, TestReceiver> receivers) {
    Tally tally = new Tally();
    for (String name : names) {
      try {
        env.awaitDeliveryPhase(name, "Succeeded");
      } catch (ConditionTimeoutException e) {
        tally.lost.add(name + " (phase " + env.jsonpath("whd", name, ".status.phase") + ")");
      }
    }
    await("receivers answered")
        .atMost(E2EEnvironment.WAIT)
        .until(
            () ->
                receivers.values().stream()
                    .allMatch(r -> r.exchanges().size() == r.received().size()));
    Map<String, Integer> postsById = new ConcurrentHashMap<>();
    receivers
        .values()
        .forEach(
            r ->
                r.received()
                    .forEach(x -> postsById.merge(x.header("webhook-id"), 1, Integer::sum)));
    for (String name : names) {
      String uid = env.jsonpath("whd", name, ".metadata.uid");
      String attemptsText = env.jsonpath("whd", name, ".status.attempts");
      int attempts =
          attemptsText == null || attemptsText.isEmpty() ? 0 : Integer.parseInt(attemptsText);
      int seen = postsById.getOrDefault(uid, 0);
      tally.deliveries++;
      tally.attempts += attempts;
      tally.posts += seen;
      if (seen == 0 && !tally.lost.stream().anyMatch(l -> l.startsWith(name + " "))) {
        tally.lost.add(name + " (never received)");
      }
      if (seen > attempts) {
        tally.duplicated.put(name, seen - attempts);
      } else if (seen < attempts) {
        tally.skipped.put(name, attempts - seen);
      }
    }
    return tally;
  }

  private static void record(FaultProxy proxy, Tally tally) {
    synchronized (faults) {
      proxy.injected().forEach((f, n) -> faults.merge(f, n, Long::sum));
    }
    deliveries.addAndGet(tally.deliveries);
    posts.addAndGet(tally.posts);
    duplicates.addAndGet(tally.duplicated.values().stream().mapToInt(Integer::intValue).sum());
    lost.addAndGet(tally.lost.size());
  }

  /**
   * Status against the receivers' view: per delivery, extra POSTs (duplicated) and missing ones
   * (skipped).
   */
  private static final class Tally {
    int deliveries;
    int attempts;
    int posts;
    final List<String> lost = new ArrayList<>();
    final Map<String, Integer> duplicated = new LinkedHashMap<>();
    final Map<String, Integer> skipped = new LinkedHashMap<>();

    Tally plus(Tally other) {
      Tally sum = new Tally();
      sum.deliveries = deliveries + other.deliveries;
      sum.attempts = attempts + other.attempts;
      sum.posts = posts + other.posts;
      sum.lost.addAll(lost);
      sum.lost.addAll(other.lost);
      sum.duplicated.putAll(duplicated);
      sum.duplicated.putAll(other.duplicated);
      sum.skipped.putAll(skipped);
      sum.skipped.putAll(other.skipped);
      return sum;
    }

    @Override
    public String toString() {
      return "%d deliveries, %d attempts in status, %d POSTs, duplicated %s, skipped %s, lost %s"
          .formatted(deliveries, attempts, posts, duplicated, skipped, lost);
    }
  }
}
