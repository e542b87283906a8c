package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention on the real API server: a delivery's size at many attempts, the budget of finished
 * deliveries per namespace (succeeded ones go, failed and unfinished ones stay, an Event and a
 * metric say so), and finished WebhookEvents deleted after their TTL while one with a retrying
 * delivery stays.
 */
class RetentionE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("retention");

  static final int BUDGET = 20;
  static final String FINISHED = "herald.dev/phase in (Succeeded,Exhausted,Cancelled)";
  private static final Pattern HEALTH_PORT = Pattern.compile("health checks on :(\\d+)");
  private static final Duration LONG_WAIT = Duration.ofMinutes(3);

  private static final ObjectMapper JSON = new ObjectMapper();

  static OperatorProcess operator;

  @BeforeAll
  static void operator() {
    operator =
        env.startOperator(
                Map.of(),
                List.of(
                    "--finished-per-namespace",
                    String.valueOf(BUDGET),
                    "--event-ttl-after-finished",
                    "5s"))
            .awaitStarted();
  }

  @Test
  void aDeliveryWithManyAttemptsStaysWithinTenKilobytesBeyondItsPayload() throws Exception {
    // the longest URL the schema admits and a long error body at every attempt
    TestReceiver receiver = env.receiver().always(Response.of(503, "\"x".repeat(2_000)));
    String url = receiver.url("/");
    url = url + "p".repeat(2_048 - url.length());
    env.apply(endpoint("flaky", url, "1s x14", "eventTypes: [\"size.*\"]"));
    String payload = "{\"data\": \"" + "d".repeat(5_000) + "\"}";
    env.apply(delivery("big", "flaky", payload).replace("order.created", "size.test"));

    await("15 attempts")
        .atMost(LONG_WAIT)
        .pollInterval(E2EEnvironment.POLL)
        .until(() -> "Exhausted".equals(env.jsonpath("whd", "big", ".status.phase")));

    // compact, as the API server stores a custom resource in etcd (kubectl indents its output)
    JsonNode stored = JSON.readTree(env.ok("get", "whd", "big", "-o", "json"));
    int beyondPayload =
        JSON.writeValueAsBytes(stored).length
            - JSON.writeValueAsBytes(stored.path("spec").path("payload")).length;
    E2EEnvironment.log(
        "delivery after 15 attempts: %d bytes beyond its payload (compact JSON, managedFields included)",
        beyondPayload);
    assertThat(beyondPayload).isLessThanOrEqualTo(10 * 1024);
    assertThat(env.jsonpath("whd", "big", ".status.attempts")).isEqualTo("15");
    assertThat(env.jsonpath("whd", "big", ".status.attemptLog[*].attempt"))
        .isEqualTo("1 12 13 14 15");
  }

  @Test
  void theBudgetDeletesSucceededDeliveriesFirstAndNeverAnUnfinishedOne() throws Exception {
    TestReceiver ok = env.receiver();
    TestReceiver failing = env.receiver().always(Response.of(500));
    String types = "eventTypes: [\"order.*\"]";
    env.apply(endpoint("ok", ok.url("/ok"), "1s", types));
    env.apply(endpoint("failing", failing.url("/failing"), "1s", types));
    env.apply(endpoint("retrying", failing.url("/retrying"), "1h", types));

    List<String> exhausted = List.of("failed-1", "failed-2", "failed-3");
    exhausted.forEach(n -> env.apply(delivery(n, "failing", "{\"n\": 1}")));
    List<String> retrying = List.of("retry-1", "retry-2");
    retrying.forEach(n -> env.apply(delivery(n, "retrying", "{\"n\": 2}")));
    exhausted.forEach(n -> env.awaitDeliveryPhase(n, "Exhausted"));
    retrying.forEach(n -> env.awaitDeliveryPhase(n, "Failed"));

    // 60 succeeded deliveries, all finishing after the failed ones
    List<String> docs =
        IntStream.range(0, 60)
            .mapToObj(i -> delivery("ok-" + i, "ok", "{\"i\": " + i + "}"))
            .toList();
    env.apply(String.join("---\n", docs));
    await("60 successes").atMost(LONG_WAIT).until(() -> ok.received().size() >= 60);

    await("all 60 succeeded and at most " + BUDGET + " finished deliveries left")
        .atMost(LONG_WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                names("-l", "herald.dev/endpoint=ok,herald.dev/phase!=Succeeded").isEmpty()
                    && names("-l", FINISHED).size() <= BUDGET);
    // other tests of the class may have left finished deliveries in the namespace too
    assertThat(names("-l", FINISHED)).hasSize(BUDGET);
    assertThat(names("-l", "herald.dev/phase=Exhausted"))
        .as("failed ones go after the succeeded ones")
        .containsAll(exhausted);
    assertThat(names("-l", "herald.dev/phase=Failed"))
        .as("unfinished deliveries are never deleted")
        .containsAll(retrying);
    List<String> okLeft = names("-l", "herald.dev/endpoint=ok");
    assertThat(okLeft)
        .as("the newest succeeded ones stay")
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(BUDGET - exhausted.size())
        .allSatisfy(n -> assertThat(Integer.parseInt(n.substring(3))).isGreaterThanOrEqualTo(20));

    String events =
        env.ok(
            "get",
            "events",
            "--field-selector",
            "reason=BudgetExceeded,involvedObject.kind=WebhookDelivery",
            "-o",
            "jsonpath={range .items[*]}{.type}|{.message}{\"\\n\"}{end}");
    assertThat(events.lines())
        .as("one Event for the namespace, not one per deleted delivery")
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("Warning|")
                    .contains("more than 20 finished WebhookDelivery objects")
                    .contains("--finished-per-namespace"));

    double budgetEvictions =
        metric(
            "herald_evictions_total",
            "kind=\"WebhookDelivery\"",
            "namespace=\"" + env.ns() + "\"",
            "reason=\"budget\"");
    assertThat(budgetEvictions).isGreaterThanOrEqualTo(60 - (BUDGET - exhausted.size()));
  }

  @Test
  void finishedEventsAreDeletedAfterTheirTtlAndOneWithARetryingDeliveryIsNot() throws Exception {
    TestReceiver ok = env.receiver();
    TestReceiver failing = env.receiver().always(Response.of(500));
    env.apply(endpoint("ping-ok", ok.url("/ping"), "1s", "eventTypes: [\"ping.ok\"]"));
    env.apply(endpoint("ping-retry", failing.url("/ping"), "1h", "eventTypes: [\"ping.retry\"]"));
    env.apply(event("done", "ping.ok"));
    env.apply(event("stuck", "ping.retry"));
    await("both sent")
        .atMost(LONG_WAIT)
        .until(() -> !ok.received().isEmpty() && !failing.received().isEmpty());

    // fan-out, the 30 s minimum age, the 5 s TTL and a 10 s sweep
    await("the finished event deleted")
        .atMost(LONG_WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> !env.exists("whev", "done"));
    assertThat(env.exists("whev", "stuck")).as("its delivery is still retrying").isTrue();
    String stuckDeliveries =
        env.ok(
            "get",
            "whd",
            "-l",
            "herald.dev/event=stuck",
            "-o",
            "jsonpath={.items[*].status.phase}");
    assertThat(stuckDeliveries).isEqualTo("Failed");
    assertThat(
            metric(
                "herald_evictions_total",
                "kind=\"WebhookEvent\"",
                "namespace=\"" + env.ns() + "\"",
                "reason=\"ttl\""))
        .isGreaterThanOrEqualTo(1);
  }

  /**
   * An event whose first attempts all succeeded has no delivery, so no delivery is written after
   * it: the check before its deletion must not wait for one (the API server's cache of deliveries
   * "not older than" the event would wait for ever, answering 504 every 3 s).
   */
  @Test
  void anEventWithoutDeliveriesIsDeletedAfterItsTtlInAQuietCluster() throws Exception {
    TestReceiver ok = env.receiver();
    env.apply(endpoint("quiet", ok.url("/quiet"), "1s", "eventTypes: [\"quiet.*\"]"));
    env.apply(event("alone", "quiet.ping"));
    env.awaitField("whev", "alone", ".status.fanOutTime", t -> !t.isEmpty());
    assertThat(ok.received()).hasSize(1);

    await("the finished event deleted")
        .atMost(LONG_WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> !env.exists("whev", "alone"));
    assertThat(operator.log()).doesNotContain("not deleted");
  }

  static String event(String name, String type) {
    return """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookEvent
        metadata:
          name: %s
        spec:
          eventType: %s
          payload: {"ping": true}
        """
        .formatted(name, type);
  }

  private static List<String> names(String... selector) {
    List<String> args =
        new ArrayList<>(List.of("get", "whd", "-o", "jsonpath={.items[*].metadata.name}"));
    args.addAll(Arrays.asList(selector));
    String out = env.ok(args.toArray(String[]::new)).trim();
    return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
  }

  /** The value of the series with these labels in the operator's /metrics. */
  private static double metric(String name, String... labels) throws Exception {
    Matcher m = HEALTH_PORT.matcher(operator.log());
    assertThat(m.find()).as("health port in the log").isTrue();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.body()
        .lines()
        .filter(l -> l.startsWith(name + "{"))
        .filter(l -> Arrays.stream(labels).allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
