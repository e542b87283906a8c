package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.http.FailureHints;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deliveries from the operator jar to receivers on 127.0.0.1, through a real API server. */
class DeliveryE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("delivery");

  @BeforeAll
  static void operator() {
    env.startOperator();
  }

  @Test
  void aDeliveryReachesTheReceiverSigned() throws Exception {
    TestReceiver receiver = env.receiver();
    env.apply(endpoint("shop", receiver.url("/hooks"), "1s"));
    env.apply(delivery("order-1", "shop", "{\"orderId\": 1, \"greetings\": \"Hello World\"}"));

    env.awaitDeliveryPhase("order-1", "Succeeded");
    assertThat(env.jsonpath("whd", "order-1", ".status.attempts")).isEqualTo("1");
    assertThat(env.jsonpath("whd", "order-1", ".status.lastStatusCode")).isEqualTo("200");
    assertThat(env.jsonpath("whd", "order-1", ".metadata.labels.herald\\.dev/phase"))
        .isEqualTo("Succeeded");

    assertThat(receiver.receivedOn("/hooks")).hasSize(1);
    TestReceiver.Received request = receiver.receivedOn("/hooks").get(0);
    assertThat(request.header("webhook-id"))
        .isEqualTo(env.jsonpath("whd", "order-1", ".metadata.uid"));
    assertThat(request.header("webhook-event-type")).isEqualTo("order.created");
    assertThat(request.bodyText()).contains("\"orderId\":1", "\"greetings\":\"Hello World\"");

    // signed with the key of the Secret the operator generated for the endpoint
    String secretName = env.jsonpath("whe", "shop", ".status.signingSecretName");
    String key =
        new String(
            Base64.getDecoder().decode(env.jsonpath("secret", secretName, ".data.secret")),
            StandardCharsets.UTF_8);
    new Webhook(key).verify(request.bodyText(), request.httpHeaders());
    env.awaitField("whe", "shop", ".status.phase", "Active"::equals);
    // the endpoint's delivery log, stored as the CRD's schema says (the API server prunes fields
    // a schema does not name)
    env.awaitField(
        "whe", "shop", ".status.recentAttempts[0].webhookId", request.header("webhook-id")::equals);
    assertThat(env.jsonpath("whe", "shop", ".status.recentAttempts[0].delivery"))
        .isEqualTo("order-1");
    assertThat(env.jsonpath("whe", "shop", ".status.recentAttempts[0].statusCode"))
        .isEqualTo("200");
  }

  @Test
  void goneExhaustsAtOnceAndThePhaseLabelSelectsIt() {
    TestReceiver receiver = env.receiver().always(Response.of(410, "gone for good"));
    env.apply(endpoint("retired", receiver.url("/old"), "1s x5"));
    env.apply(delivery("gone-1", "retired", "{\"orderId\": 2}"));

    env.awaitDeliveryPhase("gone-1", "Exhausted");
    assertThat(env.jsonpath("whd", "gone-1", ".status.attempts")).isEqualTo("1");
    assertThat(env.jsonpath("whd", "gone-1", ".status.lastStatusCode")).isEqualTo("410");
    assertThat(env.jsonpath("whd", "gone-1", ".status.lastError.class")).isEqualTo("Gone");
    assertThat(env.ok("get", "whd", "-l", "herald.dev/phase=Exhausted", "-o", "name").lines())
        .contains("webhookdelivery.herald.dev/gone-1")
        .doesNotContain("webhookdelivery.herald.dev/order-1", "webhookdelivery.herald.dev/flaky-1");
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void anAbortMessageHeaderStopsRetriesOfThatDeliveryOnly() {
    TestReceiver receiver =
        env.receiver()
            .thenRespond(
                new Response(500, "poison message", Map.of("webhook-delivery", "abort-message")));
    env.apply(endpoint("picky", receiver.url("/picky"), "1s x5"));
    env.apply(delivery("poison-1", "picky", "{\"orderId\": 3}"));

    env.awaitDeliveryPhase("poison-1", "Exhausted");
    assertThat(env.jsonpath("whd", "poison-1", ".status.attempts")).isEqualTo("1");
    assertThat(env.jsonpath("whd", "poison-1", ".status.lastError.class")).isEqualTo("Aborted");
    assertThat(env.jsonpath("whd", "poison-1", ".status.lastError.message"))
        .contains("webhook-delivery: abort-message");
    // the endpoint is not paused or given up on: the next delivery goes through
    env.apply(delivery("after-poison", "picky", "{\"orderId\": 4}"));
    env.awaitDeliveryPhase("after-poison", "Succeeded");
    assertThat(receiver.received()).hasSize(2);
  }

  @Test
  void aFailureCarriesTheHintOfItsFixIntoStatusAndDescribe() {
    TestReceiver receiver = env.receiver().always(Response.of(404, "no such route"));
    env.apply(endpoint("moved", receiver.url("/old-path"), "1m"));
    env.apply(delivery("lost-1", "moved", "{\"orderId\": 5}"));

    env.awaitDeliveryPhase("lost-1", "Failed");
    String hint = FailureHints.of(ErrorClass.Http4xx, 404);
    // stored as the CRD's schema says: the API server prunes fields a schema does not name
    assertThat(env.jsonpath("whd", "lost-1", ".status.lastError.hint")).isEqualTo(hint);
    assertThat(env.jsonpath("whd", "lost-1", ".status.attemptLog[0].hint")).isEqualTo(hint);
    assertThat(env.ok("describe", "whd", "lost-1")).contains("hint: the endpoint moved");
  }

  @Test
  void a503IsRetriedOnScheduleThenSucceeds() {
    TestReceiver receiver = env.receiver().thenRespond(Response.of(503, "busy"));
    env.apply(endpoint("flaky", receiver.url("/hooks"), "1s"));
    env.apply(delivery("flaky-1", "flaky", "{\"orderId\": 3}"));

    env.awaitDeliveryPhase("flaky-1", "Succeeded");
    assertThat(env.jsonpath("whd", "flaky-1", ".status.attempts")).isEqualTo("2");
    assertThat(env.jsonpath("whd", "flaky-1", ".status.attemptLog[*].statusCode"))
        .isEqualTo("503 200");
    await().atMost(E2EEnvironment.WAIT).until(() -> receiver.received().size() == 2);
    var times = receiver.received().stream().map(TestReceiver.Received::at).toList();
    assertThat(java.time.Duration.between(times.get(0), times.get(1)))
        .isGreaterThanOrEqualTo(java.time.Duration.ofMillis(900));
    assertThat(receiver.received().get(1).header("webhook-id"))
        .isEqualTo(receiver.received().get(0).header("webhook-id"));
  }
}
