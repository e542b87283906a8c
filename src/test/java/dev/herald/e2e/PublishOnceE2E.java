package dev.herald.e2e;

import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Received;
import dev.herald.testing.TestReceiver.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On the real API server: an event makes the first attempt to each endpoint itself and records
 * where it arrived in one status write; deliveries exist only where an attempt failed or the
 * endpoint records successes; a SIGKILL between the POSTs and the event's status write sends again
 * with the same webhook-id after the restart.
 */
class PublishOnceE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("publish");

  private static final String EVENT =
      """
      apiVersion: herald.dev/v1alpha1
      kind: WebhookEvent
      metadata:
        name: %s
      spec:
        eventType: %s
        eventId: %s
        payload: {orderId: 42}
      """;

  private static final Pattern API_REQUEST =
      Pattern.compile("herald_kube_api_requests_total\\{([^}]*)\\}\\s+([0-9.eE+]+)");

  @Test
  void anEventToTenEndpointsThatAnswer2xxCreatesNoDeliveryInOneWrite() throws Exception {
    TestReceiver receiver = env.receiver();
    OperatorProcess operator = env.startOperatorWithMetrics();
    try {
      for (int i = 0; i < 10; i++) {
        env.apply(endpoint("ten-" + i, receiver.url("/ten-" + i), "1s", "eventTypes: [\"ten.*\"]"));
      }
      for (int i = 0; i < 10; i++) {
        awaitReady("ten-" + i);
      }
      // endpoint health and signing-secret writes settle before counting
      Thread.sleep(6_000);
      Map<String, Double> before = writes(operator.metrics());
      env.apply(EVENT.formatted("ten", "ten.created", "evt_ten"));
      env.awaitField("whev", "ten", ".status.fanOutTime", s -> !s.isEmpty());
      Map<String, Double> after = writes(operator.metrics());

      assertThat(receiver.received()).hasSize(10);
      assertThat(receiver.received())
          .allSatisfy(r -> assertThat(r.header("webhook-id")).isEqualTo("evt_ten"));
      assertThat(env.ok("get", "whd", "-l", "herald.dev/event=ten", "-o", "name")).isBlank();
      assertThat(env.jsonpath("whev", "ten", ".status.succeeded")).isEqualTo("10");
      assertThat(env.jsonpath("whev", "ten", ".status.failed")).isEqualTo("0");
      String yaml = env.ok("get", "whev", "ten", "-o", "yaml");
      for (int i = 0; i < 10; i++) {
        assertThat(yaml).contains("endpoint: ten-" + i);
      }
      assertThat(yaml).contains("phase: Succeeded", "statusCode: 200");
      assertThat(env.ok("get", "whev", "ten"))
          .contains("SUCCEEDED", "FAILED", "PENDING")
          .containsPattern("ten\\s+ten.created\\s+10\\s+10\\s+0\\s+0");

      double eventAndDeliveryWrites =
          delta(before, after, "webhookevents") + delta(before, after, "webhookdeliveries");
      E2EEnvironment.log(
          "an event to 10 endpoints, all 2xx: %s writes to events and deliveries (by verb and resource: %s)",
          eventAndDeliveryWrites, diff(before, after));
      assertThat(eventAndDeliveryWrites).as("API writes of the publication").isLessThanOrEqualTo(3);

      // the endpoints' recent attempts follow within 5 s (written with their health): counted apart
      Thread.sleep(6_000);
      Map<String, Double> settled = writes(operator.metrics());
      E2EEnvironment.log(
          "and within 6 s after: %s endpoint status writes (recent attempts, written with the health)",
          delta(after, settled, "webhookendpoints"));
    } finally {
      operator.stop();
    }
  }

  /**
   * {@code kubectl apply} of an endpoint and then an event, in one file: the event reaches the
   * endpoint, however late the operator's cache of endpoints learns of it (the endpoints' watch and
   * the events' watch are two streams). Here the endpoints' watches are cut and refused while both
   * are applied, so the cache lacks the endpoint for seconds; the operator's check asks the real
   * API server for a metadata-only list of the endpoints and waits for its cache.
   */
  @Test
  void anEndpointAppliedJustBeforeAnEventReceivesItThoughTheCacheLearnsOfItLate() throws Exception {
    TestReceiver receiver = env.receiver();
    FaultProxy proxy = env.faultProxy(7);
    OperatorProcess operator =
        env.startOperator(proxy.kubeconfig(), Map.of(), List.of()).awaitStarted();
    try {
      Predicate<FaultProxy.Request> endpointWatch =
          r -> r.isWatch() && r.path().endsWith("/webhookendpoints");
      FaultProxy.Rule refused =
          FaultProxy.Rule.named("endpoint-watches-503")
              .when(endpointWatch)
              .respond(FaultProxy.Fault.UNAVAILABLE)
              .includingWatches();
      proxy.addRule(refused);
      assertThat(proxy.cutWatches(endpointWatch)).as("endpoint watches cut").isPositive();

      env.apply(
          endpoint("late", receiver.url("/late"), "1s", "eventTypes: [\"late.*\"]")
              + "---\n"
              + EVENT.formatted("late", "late.created", "evt_late"));
      Thread.sleep(2_000);
      assertThat(env.jsonpath("whev", "late", ".status.fanOutTime"))
          .as("not published while the cache lacks the endpoint")
          .isEmpty();
      refused.disable();

      env.awaitField("whev", "late", ".status.fanOutTime", s -> !s.isEmpty());
      assertThat(env.jsonpath("whev", "late", ".status.outcomes[*].endpoint")).isEqualTo("late");
      await()
          .atMost(E2EEnvironment.WAIT)
          .untilAsserted(
              () ->
                  assertThat(receiver.received())
                      .anySatisfy(r -> assertThat(r.header("webhook-id")).isEqualTo("evt_late")));
      assertThat(proxy.exchanges())
          .as("the check's list, answered by the API server as it is now")
          .anySatisfy(
              x -> {
                assertThat(x.request().path()).endsWith("/webhookendpoints");
                assertThat(x.request().query())
                    .satisfiesAnyOf(
                        q -> assertThat(q).isNull(),
                        q -> assertThat(q).doesNotContain("resourceVersion"));
                assertThat(x.upstreamStatus()).isEqualTo(200);
              });

      // endpoints no one writes: a list from the server's watch cache "not older than" the event
      // would wait for an endpoint write that never comes (3 s, then 504, retried)
      env.awaitField(
          "whe", "late", ".status.conditions[?(@.type==\"Ready\")].status", "True"::equals);
      Thread.sleep(2_000);
      long applied = System.nanoTime();
      env.apply(EVENT.formatted("steady", "late.updated", "evt_steady"));
      env.awaitField("whev", "steady", ".status.fanOutTime", t -> !t.isEmpty());
      assertThat(Duration.ofNanos(System.nanoTime() - applied))
          .as("published at once to endpoints that did not change")
          .isLessThan(Duration.ofMillis(2_500));
      assertThat(operator.log()).doesNotContain("endpoints not listed", "still lacks");
    } finally {
      operator.stop();
    }
  }

  @Test
  void aFailedFirstAttemptGetsADeliveryThatRetriesAndARecordingEndpointGetsOne() {
    AtomicInteger flakyCalls = new AtomicInteger();
    TestReceiver receiver =
        env.receiver()
            .respondWith(
                r ->
                    r.path().equals("/flaky") && flakyCalls.getAndIncrement() == 0
                        ? Response.of(503)
                        : Response.of(200));
    OperatorProcess operator = env.startOperator();
    try {
      env.apply(endpoint("flaky", receiver.url("/flaky"), "1s", "eventTypes: [\"mixed.*\"]"));
      env.apply(
          endpoint(
              "recorded",
              receiver.url("/recorded"),
              "1s",
              "eventTypes: [\"mixed.*\"]\nhistory: {recordSuccesses: true}"));
      env.apply(endpoint("plain", receiver.url("/plain"), "1s", "eventTypes: [\"mixed.*\"]"));
      for (String e : List.of("flaky", "recorded", "plain")) {
        awaitReady(e);
      }
      env.apply(EVENT.formatted("mixed", "mixed.created", "evt_mixed"));
      env.awaitField("whev", "mixed", ".status.fanOutTime", s -> !s.isEmpty());

      String flaky =
          env.jsonpath("whev", "mixed", ".status.outcomes[?(@.endpoint==\"flaky\")].delivery");
      String recorded =
          env.jsonpath("whev", "mixed", ".status.outcomes[?(@.endpoint==\"recorded\")].delivery");
      assertThat(flaky).isNotBlank();
      assertThat(recorded).isNotBlank();
      assertThat(env.jsonpath("whev", "mixed", ".status.outcomes[?(@.endpoint==\"flaky\")].phase"))
          .isEqualTo("Failed");
      assertThat(env.jsonpath("whev", "mixed", ".status.outcomes[?(@.endpoint==\"plain\")].phase"))
          .isEqualTo("Succeeded");
      assertThat(
              env.jsonpath("whev", "mixed", ".status.outcomes[?(@.endpoint==\"plain\")].delivery"))
          .isEmpty();

      env.awaitDeliveryPhase(flaky, "Succeeded");
      assertThat(env.jsonpath("whd", flaky, ".status.attemptLog[*].statusCode"))
          .isEqualTo("503 200");
      env.awaitDeliveryPhase(recorded, "Succeeded");
      assertThat(env.jsonpath("whd", recorded, ".status.attempts")).isEqualTo("1");
      assertThat(env.ok("get", "whd", "-l", "herald.dev/event=mixed", "-o", "name").lines())
          .hasSize(2);
      assertThat(receiver.receivedOn("/flaky")).hasSize(2);
      assertThat(receiver.receivedOn("/recorded")).hasSize(1);
      assertThat(receiver.receivedOn("/plain")).hasSize(1);
    } finally {
      operator.stop();
    }
  }

  /**
   * The receiver holds one of ten POSTs until the operator is SIGKILLed: the other nine have
   * returned, nothing is written yet. After the restart the event is published again: every
   * endpoint receives the same webhook-id again, none is skipped, and the status shows all ten.
   */
  @Test
  void aCrashBetweenThePostsAndTheEventsStatusSendsAgainWithTheSameWebhookId() throws Exception {
    CountDownLatch heldArrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger held = new AtomicInteger();
    TestReceiver receiver =
        env.receiver()
            .beforeResponding(
                r -> {
                  if (r.path().equals("/crash-7") && held.getAndIncrement() == 0) {
                    heldArrived.countDown();
                    try {
                      release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                });
    OperatorProcess first = env.startOperator();
    OperatorProcess second = null;
    try {
      for (int i = 0; i < 10; i++) {
        env.apply(
            endpoint("crash-" + i, receiver.url("/crash-" + i), "1s", "eventTypes: [\"crash.*\"]")
                .replace("timeout: 5s", "timeout: 30s"));
      }
      for (int i = 0; i < 10; i++) {
        awaitReady("crash-" + i);
      }
      env.apply(EVENT.formatted("crash", "crash.created", "evt_crash"));
      assertThat(heldArrived.await(60, TimeUnit.SECONDS)).as("the held POST arrived").isTrue();
      await().atMost(E2EEnvironment.WAIT).until(() -> receiver.received().size() == 10);

      first.kill();
      assertThat(first.isAlive()).isFalse();
      release.countDown();
      assertThat(env.jsonpath("whev", "crash", ".status.fanOutTime")).isEmpty();

      second = env.startOperator();
      env.awaitField("whev", "crash", ".status.fanOutTime", s -> !s.isEmpty());
      List<Received> seen = receiver.received();
      assertThat(seen)
          .extracting(r -> r.header("webhook-id"))
          .as("a repeat, never a new id")
          .containsOnly("evt_crash");
      Map<String, Long> perEndpoint = new TreeMap<>();
      seen.forEach(r -> perEndpoint.merge(r.path(), 1L, Long::sum));
      assertThat(perEndpoint).hasSize(10);
      assertThat(perEndpoint.get("/crash-7"))
          .as("the held one is sent again")
          .isGreaterThanOrEqualTo(2);
      assertThat(perEndpoint.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(1));
      assertThat(env.jsonpath("whev", "crash", ".status.succeeded")).isEqualTo("10");
      assertThat(env.ok("get", "whd", "-l", "herald.dev/event=crash", "-o", "name")).isBlank();
      E2EEnvironment.log(
          "crash between the POSTs and the event's status: receiver saw %s", perEndpoint);
    } finally {
      release.countDown();
      if (second != null) {
        second.stop();
      }
    }
  }

  /**
   * The operator halts (the documented test-only {@code --test-crash-before-event-status}: as a
   * SIGKILL, no shutdown) right after it created the failed endpoint's WebhookDelivery, with that
   * first attempt in its status, and before the event's status write. After the restart the event
   * is published again: the healthy endpoints receive the same webhook-id again, the failed one is
   * not sent a second first attempt beside its delivery, and that one delivery goes on retrying.
   */
  @Test
  void aCrashAfterTheFailedEndpointsDeliveryBeforeTheEventsStatusKeepsOneDeliveryThatRetries() {
    AtomicInteger flakyCalls = new AtomicInteger();
    TestReceiver receiver =
        env.receiver()
            .respondWith(
                r ->
                    r.path().equals("/halt-flaky") && flakyCalls.getAndIncrement() < 2
                        ? Response.of(503)
                        : Response.of(200));
    OperatorProcess first =
        env.startOperator(Map.of(), List.of("--test-crash-before-event-status")).awaitStarted();
    OperatorProcess second = null;
    try {
      List<String> names = List.of("halt-ok-0", "halt-ok-1", "halt-flaky");
      for (String name : names) {
        // two retries: the first (after the restart) fails again, the second succeeds
        env.apply(
            endpoint(name, receiver.url("/" + name), new String[] {"1s", "1s"})
                + "eventTypes: [\"halt.*\"]".indent(2));
      }
      for (String name : names) {
        awaitReady(name);
      }
      env.apply(EVENT.formatted("halt", "halt.created", "evt_halt"));
      await().atMost(E2EEnvironment.WAIT).until(() -> !first.isAlive());
      assertThat(first.failure()).as("halted at the crash point").startsWith("exited 137");
      assertThat(env.jsonpath("whev", "halt", ".status.fanOutTime"))
          .as("the event's status was never written")
          .isEmpty();
      List<String> placed =
          env.ok("get", "whd", "-l", "herald.dev/event=halt", "-o", "name").lines().toList();
      assertThat(placed).as("the failed endpoint's delivery exists before the crash").hasSize(1);
      String delivery = placed.get(0).substring(placed.get(0).indexOf('/') + 1);
      assertThat(env.jsonpath("whd", delivery, ".status.attempts")).isEqualTo("1");
      assertThat(receiver.receivedOn("/halt-flaky")).hasSize(1);

      second = env.startOperator();
      env.awaitField("whev", "halt", ".status.fanOutTime", s -> !s.isEmpty());
      env.awaitDeliveryPhase(delivery, "Succeeded");
      assertThat(env.ok("get", "whd", "-l", "herald.dev/event=halt", "-o", "name").lines())
          .as("still exactly one delivery for the failed endpoint")
          .containsExactly(placed.get(0));
      assertThat(env.jsonpath("whd", delivery, ".status.attemptLog[*].statusCode"))
          .as("it carried on retrying from the first attempt the crashed process recorded")
          .isEqualTo("503 503 200");
      assertThat(
              env.jsonpath(
                  "whev", "halt", ".status.outcomes[?(@.endpoint==\"halt-flaky\")].delivery"))
          .isEqualTo(delivery);
      List<Received> seen = receiver.received();
      assertThat(seen)
          .extracting(r -> r.header("webhook-id"))
          .as("a repeat, never a new id")
          .containsOnly("evt_halt");
      Map<String, Long> perEndpoint = new TreeMap<>();
      seen.forEach(r -> perEndpoint.merge(r.path(), 1L, Long::sum));
      assertThat(perEndpoint.keySet())
          .containsExactlyInAnyOrder("/halt-ok-0", "/halt-ok-1", "/halt-flaky");
      assertThat(perEndpoint.get("/halt-flaky"))
          .as("one first attempt, then the delivery's two retries")
          .isEqualTo(3);
      E2EEnvironment.log(
          "crash after the failed endpoint's delivery, before the event's status: receiver saw %s",
          perEndpoint);
    } finally {
      first.kill();
      if (second != null) {
        second.stop();
      }
    }
  }

  private static void awaitReady(String endpoint) {
    env.awaitField(
        "whe", endpoint, ".status.conditions[?(@.type==\"Ready\")].status", "True"::equals);
  }

  /** Write requests (create, update, patch, delete) by resource. */
  private static Map<String, Double> writes(String metrics) {
    Map<String, Double> byResource = new TreeMap<>();
    Matcher m = API_REQUEST.matcher(metrics);
    while (m.find()) {
      String labels = m.group(1);
      Matcher verb = Pattern.compile("verb=\"([a-z]+)\"").matcher(labels);
      Matcher resource = Pattern.compile("resource=\"([a-z0-9.]+)\"").matcher(labels);
      if (verb.find() && resource.find() && isWrite(verb.group(1))) {
        byResource.merge(
            resource.group(1) + "/" + verb.group(1), Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    return byResource;
  }

  private static boolean isWrite(String verb) {
    return List.of("create", "update", "patch", "delete", "deletecollection").contains(verb);
  }

  private static double delta(
      Map<String, Double> before, Map<String, Double> after, String resource) {
    return after.entrySet().stream()
        .filter(e -> e.getKey().startsWith(resource + "/"))
        .mapToDouble(e -> e.getValue() - before.getOrDefault(e.getKey(), 0.0))
        .sum();
  }

  private static Map<String, Double> diff(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> d = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          double n = v - before.getOrDefault(k, 0.0);
          if (n != 0) {
            d.put(k, n);
          }
        });
    return d;
  }
}
