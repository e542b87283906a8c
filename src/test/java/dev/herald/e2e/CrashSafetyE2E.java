package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Exchange;
import dev.herald.testing.TestReceiver.Received;
import dev.herald.testing.TestReceiver.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At-least-once under crashes: an operator SIGKILLed while the receiver holds its POST open repeats
 * the POST with the same webhook-id after a restart (a duplicate, never a loss), and two replicas
 * with leader election never send the same delivery concurrently; when the leader dies the standby
 * takes over.
 */
class CrashSafetyE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("crash");
  private static final AtomicInteger faults = new AtomicInteger();
  private static final AtomicInteger created = new AtomicInteger();
  private static final AtomicInteger succeeded = new AtomicInteger();

  @AfterAll
  static void summary() {
    E2EEnvironment.log(
        "CrashSafetyE2E: %d faults injected, %d deliveries created, %d succeeded, %d lost",
        faults.get(), created.get(), succeeded.get(), created.get() - succeeded.get());
  }

  @Test
  void aCrashWhileThePostIsOpenRepeatsItWithTheSameWebhookId() throws Exception {
    CountDownLatch firstArrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    TestReceiver receiver =
        env.receiver()
            .beforeResponding(
                r -> {
                  if (requests.getAndIncrement() == 0) {
                    firstArrived.countDown();
                    awaitQuietly(
                        release); // holds the first POST open until the test lets go, after the
                    // kill
                  }
                });
    OperatorProcess first = env.startOperator();
    OperatorProcess second = null;
    try {
      // a 30s attempt timeout: the held POST is still in flight when the operator dies
      env.apply(endpoint("held", receiver.url("/hooks"), "30s"));
      env.apply(delivery("order-1", "held", "{\"orderId\": 1}"));
      created.incrementAndGet();
      faults.incrementAndGet(); // the receiver holds the POST open
      assertThat(firstArrived.await(E2EEnvironment.WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("the first POST arrived")
          .isTrue();

      first.kill();
      faults.incrementAndGet();
      assertThat(first.isAlive()).isFalse();
      release.countDown();
      assertThat(receiver.received()).hasSize(1);
      String attemptsBefore = env.jsonpath("whd", "order-1", ".status.attempts");

      second = env.startOperator();
      env.awaitDeliveryPhase("order-1", "Succeeded");
      succeeded.incrementAndGet();
      await().atMost(E2EEnvironment.WAIT).until(() -> receiver.received().size() >= 2);

      String uid = env.jsonpath("whd", "order-1", ".metadata.uid");
      List<Received> seen = receiver.received();
      assertThat(seen)
          .extracting(r -> r.header("webhook-id"))
          .as("a duplicate, never a new id")
          .containsOnly(uid);
      assertThat(seen).extracting(Received::bodyText).containsOnly(seen.get(0).bodyText());
      int attempts = Integer.parseInt(env.jsonpath("whd", "order-1", ".status.attempts"));
      String log = env.jsonpath("whd", "order-1", ".status.attemptLog[*].attempt");
      assertThat(log.split(" "))
          .as("every attempt in status is in the attempt log")
          .hasSize(attempts);
      assertThat(seen.size())
          .as("every attempt in status reached the receiver")
          .isGreaterThanOrEqualTo(attempts);
      E2EEnvironment.log(
          "crash during POST: receiver saw %d requests for %s; status: %s attempt(s) before the restart, %d after",
          seen.size(), uid, attemptsBefore.isEmpty() ? "0" : attemptsBefore, attempts);
    } finally {
      release.countDown();
      if (second != null) {
        second.stop(); // the next test runs its own replicas with leader election
      }
    }
  }

  @Test
  void twoReplicasWithLeaderElectionNeverOverlapAndTheStandbyTakesOver() throws Exception {
    List<String> leaderElection = List.of("--leader-election-namespace", env.ns());
    // Pods differ by HOSTNAME, JOSDK's lease identity; two processes on one machine must be told.
    OperatorProcess a =
        env.startOperator(Map.of("HOSTNAME", "herald-e2e-a"), leaderElection).awaitStarted();
    OperatorProcess b =
        env.startOperator(Map.of("HOSTNAME", "herald-e2e-b"), leaderElection).awaitStarted();
    Map<String, OperatorProcess> byIdentity = Map.of("herald-e2e-a", a, "herald-e2e-b", b);
    try {
      String leaderId =
          env.awaitField(
              "lease", "herald-operator", ".spec.holderIdentity", byIdentity::containsKey);
      OperatorProcess leader = byIdentity.get(leaderId);
      String standbyId = leaderId.equals("herald-e2e-a") ? "herald-e2e-b" : "herald-e2e-a";
      OperatorProcess standby = byIdentity.get(standbyId);
      E2EEnvironment.log("leader %s, standby %s", leaderId, standbyId);

      // a slow receiver widens any window in which two senders could overlap; 503 to the first
      // three
      TestReceiver receiver =
          env.receiver()
              .thenRespond(
                  Response.of(503, "busy"), Response.of(503, "busy"), Response.of(503, "busy"))
              .beforeResponding(r -> sleepQuietly(Duration.ofMillis(300)));
      faults.addAndGet(3); // the three 503s
      env.apply(endpoint("pair", receiver.url("/hooks"), "10s"));
      List<String> names = IntStream.rangeClosed(1, 12).mapToObj(i -> "le-" + i).toList();
      for (String name : names) {
        env.apply(delivery(name, "pair", "{\"n\": \"" + name + "\"}"));
        created.incrementAndGet();
      }
      for (String name : names) {
        env.awaitDeliveryPhase(name, "Succeeded");
        succeeded.incrementAndGet();
      }
      await()
          .atMost(E2EEnvironment.WAIT)
          .until(() -> receiver.exchanges().size() == receiver.received().size());

      Map<String, List<Exchange>> byId =
          receiver.exchanges().stream()
              .collect(Collectors.groupingBy(x -> x.request().header("webhook-id")));
      int firstTry = 0;
      for (String name : names) {
        String uid = env.jsonpath("whd", name, ".metadata.uid");
        List<Exchange> exchanges = new ArrayList<>(byId.getOrDefault(uid, List.of()));
        exchanges.sort(Comparator.comparing(x -> x.request().at()));
        for (int i = 1; i < exchanges.size(); i++) {
          Instant previousEnd = exchanges.get(i - 1).end();
          assertThat(exchanges.get(i).request().at())
              .as("%s: request %d started after request %d ended", name, i + 1, i)
              .isAfterOrEqualTo(previousEnd);
        }
        int attempts = Integer.parseInt(env.jsonpath("whd", name, ".status.attempts"));
        if (attempts == 1) {
          firstTry++;
          assertThat(exchanges)
              .as("%s succeeded on the first try: exactly one request", name)
              .hasSize(1);
        } else {
          assertThat(exchanges).as("%s: one request per recorded attempt", name).hasSize(attempts);
        }
      }
      assertThat(firstTry)
          .as("most deliveries succeed at once")
          .isGreaterThanOrEqualTo(names.size() - 3);
      assertThat(standby.log())
          .as("the standby sent nothing")
          .doesNotContain("delivery " + env.ns() + "/");

      leader.kill();
      faults.incrementAndGet();
      env.awaitField("lease", "herald-operator", ".spec.holderIdentity", standbyId::equals);
      env.apply(delivery("after-failover", "pair", "{\"n\": \"after-failover\"}"));
      created.incrementAndGet();
      env.awaitDeliveryPhase("after-failover", "Succeeded");
      succeeded.incrementAndGet();
      assertThat(standby.isAlive()).isTrue();
      assertThat(standby.log()).contains("delivery " + env.ns() + "/after-failover attempt 1");
      String uid = env.jsonpath("whd", "after-failover", ".metadata.uid");
      await()
          .atMost(E2EEnvironment.WAIT)
          .until(
              () ->
                  receiver.exchanges().stream()
                      .anyMatch(x -> uid.equals(x.request().header("webhook-id"))));
      assertThat(receiver.received())
          .filteredOn(r -> uid.equals(r.header("webhook-id")))
          .hasSize(1);
      E2EEnvironment.log(
          "leader election: %d deliveries, %d on the first try, %d requests, no overlap; %s took over",
          names.size() + 1, firstTry, receiver.received().size(), standbyId);
    } finally {
      a.stop();
      b.stop();
      env.run("delete", "lease", "herald-operator", "--ignore-not-found");
    }
  }

  private static String endpoint(String name, String url, String timeout) {
    return """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookEndpoint
        metadata:
          name: %s
        spec:
          url: %s
          timeout: %s
          retry:
            schedule: ["1s"]
        """
        .formatted(name, url, timeout);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
