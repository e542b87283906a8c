package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API server itself rejects bad input with the CRD's OpenAPI schema (the mock server of the
 * unit tests checks none of it). {@code --validate=false} turns kubectl's own client-side check
 * off, so each message below comes from the server.
 */
class SchemaValidationE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("schema");

  @Test
  void urlMustBeHttpOrHttps() {
    assertRejected(
        endpointSpec("url: ftp://x"), "spec.url: Invalid value: \"ftp://x\"", "should match");
  }

  @Test
  void timeoutMustBeADuration() {
    assertRejected(
        endpointSpec("url: https://hooks.example.com\n  timeout: 10 seconds"),
        "spec.timeout: Invalid value: \"10 seconds\"",
        "should match");
  }

  @Test
  void scheduleEntriesMustBeDurations() {
    assertRejected(
        endpointSpec("url: https://hooks.example.com\n  retry: {schedule: [\"every 5m\"]}"),
        "spec.retry.schedule",
        "Invalid value: \"every 5m\"");
  }

  @Test
  void urlIsRequired() {
    assertRejected(endpointSpec("paused: true"), "spec.url: Required value");
  }

  @Test
  void deliveryPayloadIsRequired() {
    assertRejected(
        """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookDelivery
        metadata: {name: no-payload}
        spec:
          endpointRef: {name: billing}
          eventType: order.created
        """,
        "spec.payload: Required value");
  }

  @Test
  void eventTargetsAreBounded() {
    String names =
        java.util.stream.IntStream.range(0, 101)
            .mapToObj(i -> "ep-" + i)
            .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    assertRejected(eventSpec("endpoints: " + names), "spec.endpoints", "at most 100 items");
    assertRejected(eventSpec("endpoints: [\"Not_A_Name\"]"), "Not_A_Name", "should match");
    assertRejected(
        eventSpec("endpointSelector: {matchExpressions: [{key: team, operator: Matches}]}"),
        "spec.endpointSelector.matchExpressions",
        "Matches");
    String labels =
        java.util.stream.IntStream.range(0, 17)
            .mapToObj(i -> "k" + i + ": v")
            .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
    assertRejected(
        eventSpec("endpointSelector: {matchLabels: " + labels + "}"),
        "spec.endpointSelector.matchLabels",
        "at most 16");
  }

  private static String eventSpec(String specLines) {
    return """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookEvent
        metadata: {name: bad}
        spec:
          eventType: order.created
          payload: {a: 1}
          %s
        """
        .formatted(specLines);
  }

  private static String endpointSpec(String specLines) {
    return """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookEndpoint
        metadata: {name: bad}
        spec:
          %s
        """
        .formatted(specLines);
  }

  private static void assertRejected(String yaml, String... messageParts) {
    Kubectl.Result r =
        env.kubectl().runWithInput(yaml, "apply", "--validate=false", "-n", env.ns(), "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.errors()).as(r.toString()).contains("is invalid").contains(messageParts);
    assertThat(env.ok("get", "herald", "-o", "name")).as("nothing was stored").isBlank();
  }
}
