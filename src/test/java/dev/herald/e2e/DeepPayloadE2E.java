package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One object must never stop the operator. Deliveries and events nested deeper than Jackson's
 * default limit (1,000), up to the deepest the API server admits, are created next to ordinary
 * deliveries while the operator runs, and an object the API server stores but Herald cannot bind (a
 * status number beyond a Java int) joins them. Everything readable is delivered, /readyz stays
 * true, the unreadable object is reported, and a restarted operator becomes ready with all of them
 * present.
 */
class DeepPayloadE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("deep");
  private static final Pattern HEALTH_PORT = Pattern.compile("health checks on :(\\d+)");

  /**
   * The API server refuses JSON nested deeper than 10,000 levels, in requests and in its own
   * responses: a list wraps each object in two levels, so an object deeper than 9,998 is stored but
   * makes every list that includes it fail (500) on the server. A delivery's payload starts two
   * levels down: 9,996 is the deepest payload the server still lists.
   */
  static final int DEEPEST_PAYLOAD = 10_000 - 2 - 2;

  /** {"a":{"a":...{"a":"<tag>"}...}} with {@code depth} objects. */
  static String nested(int depth, String tag) {
    return "{\"a\":".repeat(depth - 1) + "{\"a\":\"" + tag + "\"}" + "}".repeat(depth - 1);
  }

  static String deepDelivery(String name, int depth) {
    return "{\"apiVersion\":\"herald.dev/v1alpha1\",\"kind\":\"WebhookDelivery\",\"metadata\":{\"name\":\""
        + name
        + "\"},"
        + "\"spec\":{\"endpointRef\":{\"name\":\"billing\"},\"eventType\":\"order.created\",\"payload\":"
        + nested(depth, name)
        + "}}";
  }

  static String deepEvent(String name, int depth) {
    return "{\"apiVersion\":\"herald.dev/v1alpha1\",\"kind\":\"WebhookEvent\",\"metadata\":{\"name\":\""
        + name
        + "\"},"
        + "\"spec\":{\"eventType\":\"order.created\",\"payload\":"
        + nested(depth, name)
        + "}}";
  }

  @Test
  void deepAndUnreadableObjectsNeitherStopNorStallTheOperator() throws Exception {
    TestReceiver receiver = env.receiver();
    OperatorProcess first = env.startOperator();
    int port = healthPort(first);
    java.util.concurrent.atomic.AtomicInteger notReady =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ScheduledExecutorService sampler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> {
          try {
            if (!ready(port)) {
              notReady.incrementAndGet();
            }
          } catch (Exception e) {
            notReady.incrementAndGet();
          }
        },
        0,
        200,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    env.apply(endpoint("billing", receiver.url("/hooks"), "1s"));
    env.apply(delivery("plain-1", "billing", "{\"order\": 1}"));
    env.awaitDeliveryPhase("plain-1", "Succeeded");

    List<String> deep =
        List.of("delivery-1100", "delivery-5000", "delivery-deepest", "event-1100", "event-5000");
    create(deepDelivery("delivery-1100", 1_100));
    create(deepDelivery("delivery-5000", 5_000));
    create(deepDelivery("delivery-deepest", DEEPEST_PAYLOAD));
    create(deepEvent("event-1100", 1_100));
    create(deepEvent("event-5000", 5_000));
    // waits for an endpoint that never comes, so only this test writes its status next
    env.apply(delivery("overflow", "nowhere", "{\"order\": 0}"));
    env.awaitField("whd", "overflow", ".status.conditions[0].reason", "EndpointNotFound"::equals);
    overflowStatus("overflow");
    env.apply(delivery("plain-2", "billing", "{\"order\": 2}"));

    env.awaitDeliveryPhase("plain-2", "Succeeded");
    for (String name : List.of("delivery-1100", "delivery-5000", "delivery-deepest")) {
      env.awaitDeliveryPhase(name, "Succeeded");
    }
    await()
        .atMost(E2EEnvironment.WAIT)
        .until(() -> deep.stream().allMatch(tag -> bodyTagged(receiver, tag)));
    assertThat(
            receiver.received().stream()
                .filter(r -> r.bodyText().endsWith("\"delivery-5000\"" + "}".repeat(5_000))))
        .as("the deep body arrives byte for byte")
        .hasSize(1);
    awaitUnreadableEvent("overflow");
    sampler.shutdownNow();
    assertThat(notReady.get())
        .as("/readyz answers other than 200 while the deep objects were handled")
        .isZero();
    assertThat(first.log())
        .contains("WebhookDelivery " + env.ns() + "/overflow (resourceVersion")
        .doesNotContain("9223372036854775807")
        .doesNotContain("StackOverflowError")
        .doesNotContain("will stop")
        .doesNotContain("Exception in thread");

    first.stop();
    OperatorProcess second = env.startOperator();
    assertThat(ready(healthPort(second))).isTrue();
    env.apply(delivery("plain-3", "billing", "{\"order\": 3}"));
    env.awaitDeliveryPhase("plain-3", "Succeeded");
    assertThat(second.log())
        .contains("WebhookDelivery " + env.ns() + "/overflow (resourceVersion")
        .doesNotContain("StackOverflowError")
        .doesNotContain("will stop")
        .doesNotContain("Exception in thread");
    assertThat(env.jsonpath("whd", "overflow", ".status.attempts"))
        .isEqualTo("9223372036854775807");
  }

  private static void create(String json) {
    env.kubectl().okWithInput(json, "create", "-n", env.ns(), "-f", "-");
  }

  /**
   * A status the schema admits (an integer) that no Java int holds, written as a user with status
   * rights could.
   */
  private static void overflowStatus(String name) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode delivery = (ObjectNode) json.readTree(env.ok("get", "whd", name, "-o", "json"));
    ((ObjectNode) delivery.get("status")).put("attempts", Long.MAX_VALUE);
    env.kubectl()
        .okWithInput(
            json.writeValueAsString(delivery),
            "replace",
            "--raw",
            "/apis/herald.dev/v1alpha1/namespaces/"
                + env.ns()
                + "/webhookdeliveries/"
                + name
                + "/status",
            "-f",
            "-");
  }

  private static void awaitUnreadableEvent(String name) {
    await("Event Unreadable on " + name)
        .atMost(E2EEnvironment.WAIT)
        .pollInterval(E2EEnvironment.POLL)
        .until(
            () ->
                env.ok(
                        "get",
                        "events",
                        "--field-selector",
                        "involvedObject.name=" + name + ",reason=Unreadable",
                        "-o",
                        "jsonpath={.items[*].message}")
                    .contains("cannot read this object"));
  }

  private static boolean bodyTagged(TestReceiver receiver, String tag) {
    return receiver.received().stream()
        .anyMatch(r -> r.bodyText().contains("{\"a\":\"" + tag + "\"}"));
  }

  private static int healthPort(OperatorProcess operator) {
    Matcher m = HEALTH_PORT.matcher(operator.log());
    assertThat(m.find()).as("health port in the log").isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static boolean ready(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200;
  }
}
