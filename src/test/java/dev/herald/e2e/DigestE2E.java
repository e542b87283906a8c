package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A WebhookDigest from the operator jar through a real API server: the report goes out while the
 * reconcile has long returned, and the answer, arriving later, is what writes status.
 */
class DigestE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("digest");

  @BeforeAll
  static void operator() {
    env.startOperator();
    TestReceiver gone = env.receiver().always(Response.of(410, "gone"));
    env.apply(endpoint("billing", gone.url("/hook"), "1s"));
    env.apply(delivery("gone-1", "billing", "{\"orderId\": 1}"));
    env.awaitDeliveryPhase("gone-1", "Exhausted");
    env.awaitField("whe", "billing", ".status.phase", "Failing"::equals);
  }

  @Test
  void theReportIsSignedAndItsResultRecordedOnceAnswered() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TestReceiver held = env.receiver().holdUntil(release);
    env.apply(digest("ops", held.url("/digest")));

    await().atMost(E2EEnvironment.WAIT).until(() -> held.received().size() == 1);
    // the POST is open: nothing is recorded yet, so a crash now would send it again
    assertThat(env.jsonpath("whdg", "ops", ".status.lastResult.result")).isEmpty();
    assertThat(env.jsonpath("whdg", "ops", ".status.nextTime")).isEmpty();

    release.countDown();
    env.awaitField("whdg", "ops", ".status.lastResult.result", "Sent"::equals);
    assertThat(env.jsonpath("whdg", "ops", ".status.conditions[?(@.type==\"Ready\")].reason"))
        .isEqualTo("Sent");
    assertThat(env.jsonpath("whdg", "ops", ".status.lastResult.message"))
        .isEqualTo("1 failing endpoint(s), 1 unprocessed deliveries");
    Instant next = Instant.parse(env.jsonpath("whdg", "ops", ".status.nextTime"));
    assertThat(next).isAfter(Instant.now().plus(Duration.ofSeconds(30)));

    TestReceiver.Received request = held.received().get(0);
    assertThat(request.header("webhook-event-type")).isEqualTo("herald.digest");
    assertThat(request.bodyText()).contains("\"gone-1\"", "\"billing\"");
    String secret = env.jsonpath("whdg", "ops", ".status.signingSecretName");
    String key =
        new String(
            Base64.getDecoder().decode(env.jsonpath("secret", secret, ".data.secret")),
            StandardCharsets.UTF_8);
    new Webhook(key).verify(request.bodyText(), request.httpHeaders());
    // one run, one POST: the status write of the answer does not start another
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> held.received().size() == 1);
  }

  @Test
  void aFailedSendIsAConditionAndAWarningEvent() {
    TestReceiver broken = env.receiver().always(Response.of(500, "down"));
    env.apply(digest("broken", broken.url("/digest")));

    env.awaitField("whdg", "broken", ".status.lastResult.result", "Failed"::equals);
    assertThat(env.jsonpath("whdg", "broken", ".status.conditions[?(@.type==\"Ready\")].reason"))
        .isEqualTo("SendFailed");
    assertThat(env.jsonpath("whdg", "broken", ".status.lastResult.message"))
        .startsWith("webhook: ");
    Instant retry = Instant.parse(env.jsonpath("whdg", "broken", ".status.nextTime"));
    assertThat(retry).isBefore(Instant.now().plus(Duration.ofMinutes(6)));
    await()
        .atMost(E2EEnvironment.WAIT)
        .pollInterval(E2EEnvironment.POLL)
        .until(
            () ->
                env.ok(
                            "get",
                            "events",
                            "--field-selector",
                            "involvedObject.name=broken,type=Warning,reason=SendFailed",
                            "-o",
                            "name")
                        .strip()
                        .length()
                    > 0);
  }

  private static String digest(String name, String url) {
    return """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookDigest
        metadata:
          name: %s
        spec:
          interval: 1h
          webhook:
            url: %s
        """
        .formatted(name, url);
  }
}
