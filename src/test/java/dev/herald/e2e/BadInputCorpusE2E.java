package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A corpus of bad input through the real API server while the operator runs: what the schema or the
 * server refuses never gets stored; what passes the schema but is still wrong is reported
 * (InvalidSpec, Blocked) without a connection to a forbidden address; the operator survives all of
 * it and still delivers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCorpusE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("badinput");
  private static final AtomicInteger tried = new AtomicInteger();
  private static OperatorProcess operator;

  /** A manifest the API server must refuse, and words its message must contain. */
  record Refused(String label, String yaml, String... messageParts) {}

  /** An endpoint spec the schema admits but the operator must call InvalidSpec. */
  record Invalid(String label, String name, String yaml, String messagePart) {}

  @BeforeAll
  static void start() {
    operator = env.startOperator();
  }

  @AfterAll
  static void count() {
    E2EEnvironment.log("BadInputCorpusE2E: %d bad inputs tried", tried.get());
  }

  @Test
  @Order(1)
  void theApiServerRefusesWhatTheSchemaForbids() {
    List<Refused> corpus =
        List.of(
            new Refused(
                "endpoint without url", endpointSpec("paused: true"), "spec.url: Required value"),
            new Refused(
                "endpoint url ftp",
                endpointSpec("url: ftp://hooks.example.com/"),
                "spec.url: Invalid value"),
            new Refused(
                "endpoint url without scheme",
                endpointSpec("url: hooks.example.com/x"),
                "spec.url: Invalid value"),
            new Refused(
                "endpoint url without host",
                endpointSpec("url: \"https://\""),
                "spec.url: Invalid value"),
            new Refused(
                "endpoint url with empty host",
                endpointSpec("url: http:///hooks"),
                "spec.url: Invalid value"),
            new Refused(
                "endpoint url with credentials",
                endpointSpec("url: https://user:secret@hooks.example.com/"),
                "spec.url: Invalid value"),
            new Refused(
                "endpoint url with user only",
                endpointSpec("url: https://admin@hooks.example.com/"),
                "spec.url: Invalid value"),
            new Refused(
                "endpoint url with a space",
                endpointSpec("url: \"https://hooks.example.com/a b\""),
                "spec.url: Invalid value"),
            new Refused(
                "endpoint url javascript:",
                endpointSpec("url: \"javascript:alert(1)\""),
                "spec.url: Invalid value"),
            new Refused(
                "endpoint url as a number", endpointSpec("url: 42"), "spec.url: Invalid value"),
            new Refused(
                "timeout in words",
                endpointSpec("url: https://h.example.com\n  timeout: 10 seconds"),
                "spec.timeout: Invalid value"),
            new Refused(
                "timeout negative",
                endpointSpec("url: https://h.example.com\n  timeout: \"-5s\""),
                "spec.timeout: Invalid value"),
            new Refused(
                "timeout without unit",
                endpointSpec("url: https://h.example.com\n  timeout: \"5\""),
                "spec.timeout: Invalid value"),
            new Refused(
                "timeout in days",
                endpointSpec("url: https://h.example.com\n  timeout: 1d"),
                "spec.timeout: Invalid value"),
            new Refused(
                "timeout as an integer",
                endpointSpec("url: https://h.example.com\n  timeout: 5"),
                "spec.timeout: Invalid value"),
            new Refused(
                "maxAge forever",
                endpointSpec("url: https://h.example.com\n  retry: {maxAge: forever}"),
                "spec.retry.maxAge: Invalid value"),
            new Refused(
                "rotationOverlap with a space",
                endpointSpec("url: https://h.example.com\n  signing: {rotationOverlap: \"1 h\"}"),
                "spec.signing.rotationOverlap: Invalid value"),
            new Refused(
                "ttlAfterFinished in weeks",
                endpointSpec("url: https://h.example.com\n  history: {ttlAfterFinished: 1w}"),
                "spec.history.ttlAfterFinished: Invalid value"),
            new Refused(
                "history.keep negative",
                endpointSpec("url: https://h.example.com\n  history: {keep: -1}"),
                "spec.history.keep: Invalid value"),
            new Refused(
                "paused as a string",
                endpointSpec("url: https://h.example.com\n  paused: \"yes\""),
                "spec.paused: Invalid value"),
            new Refused(
                "schedule in words", schedule("every 5m"), "spec.retry.schedule", "Invalid value"),
            new Refused(
                "schedule cron", schedule("*/5 * * * *"), "spec.retry.schedule", "Invalid value"),
            new Refused(
                "schedule @hourly", schedule("@hourly"), "spec.retry.schedule", "Invalid value"),
            new Refused("schedule x0", schedule("1m x0"), "spec.retry.schedule", "Invalid value"),
            new Refused(
                "schedule x100000", schedule("1m x100000"), "spec.retry.schedule", "Invalid value"),
            new Refused(
                "schedule repeat first", schedule("x3 1m"), "spec.retry.schedule", "Invalid value"),
            new Refused(
                "schedule comma list", schedule("1m,5m"), "spec.retry.schedule", "Invalid value"),
            new Refused(
                "schedule not a list",
                endpointSpec("url: https://h.example.com\n  retry: {schedule: 1m}"),
                "spec.retry.schedule: Invalid value"),
            new Refused(
                "secretRef without name",
                endpointSpec("url: https://h.example.com\n  signing: {secretRef: {key: k}}"),
                "spec.signing.secretRef.name: Required value"),
            new Refused(
                "delivery without endpointRef",
                deliverySpec("eventType: a\n  payload: {a: 1}"),
                "spec.endpointRef: Required value"),
            new Refused(
                "delivery without eventType",
                deliverySpec("endpointRef: {name: e}\n  payload: {a: 1}"),
                "spec.eventType: Required value"),
            new Refused(
                "delivery without payload",
                deliverySpec("endpointRef: {name: e}\n  eventType: a"),
                "spec.payload: Required value"),
            new Refused(
                "delivery payload a string",
                deliverySpec("endpointRef: {name: e}\n  eventType: a\n  payload: hello"),
                "spec.payload: Invalid value"),
            new Refused(
                "delivery payload a list",
                deliverySpec("endpointRef: {name: e}\n  eventType: a\n  payload: [1, 2]"),
                "spec.payload: Invalid value"),
            new Refused(
                "delivery endpointRef without name",
                deliverySpec("endpointRef: {}\n  eventType: a\n  payload: {a: 1}"),
                "spec.endpointRef.name: Required value"),
            // floors, ceilings and header-safe text (issue 10, item 5): each message names the
            // field
            new Refused(
                "schedule 0s x99999",
                schedule("0s x99999"),
                "spec.retry.schedule: Invalid value: \"0s x99999\""),
            new Refused(
                "schedule 500ms",
                schedule("500ms"),
                "spec.retry.schedule: Invalid value: \"500ms\""),
            new Refused(
                "schedule of 101 entries",
                endpointSpec(
                    "url: https://h.example.com\n  retry: {schedule: ["
                        + String.join(", ", java.util.Collections.nCopies(101, "\"1m\""))
                        + "]}"),
                "spec.retry.schedule in body should have at most 100 items"),
            new Refused(
                "url of 2049 characters",
                endpointSpec(
                    "url: https://h.example.com/"
                        + "a".repeat(2049 - "https://h.example.com/".length())),
                "spec.url in body should be at most 2048 chars long"),
            new Refused(
                "url of 300000 characters",
                endpointSpec("url: https://h.example.com/" + "a".repeat(300_000)),
                "spec.url in body should be at most 2048 chars long"),
            new Refused(
                "url port 0",
                endpointSpec("url: https://h.example.com:0/"),
                "spec.url: Invalid value"),
            new Refused(
                "url port 65536",
                endpointSpec("url: https://h.example.com:65536/"),
                "spec.url: Invalid value"),
            new Refused(
                "header value with CR LF",
                endpointSpec(
                    "url: https://h.example.com\n  headers: {X-Token: \"a\\r\\nX-Injected: 1\"}"),
                "spec.headers.X-Token: Invalid value"),
            new Refused(
                "header value non-ASCII",
                endpointSpec("url: https://h.example.com\n  headers: {X-Name: \"M\u00fcller\"}"),
                "spec.headers.X-Name: Invalid value"),
            new Refused(
                "33 headers",
                endpointSpec(
                    "url: https://h.example.com\n  headers: {"
                        + java.util.stream.IntStream.range(0, 33)
                            .mapToObj(i -> "X-H" + i + ": v")
                            .collect(java.util.stream.Collectors.joining(", "))
                        + "}"),
                "spec.headers in body should have at most 32 properties"),
            new Refused(
                "secretRef name with a slash",
                endpointSpec("url: https://h.example.com\n  signing: {secretRef: {name: other/s}}"),
                "spec.signing.secretRef.name: Invalid value"),
            new Refused(
                "delivery eventType with CR LF",
                deliverySpec(
                    "endpointRef: {name: e}\n  eventType: \"order\\r\\ncreated\"\n  payload: {a: 1}"),
                "spec.eventType: Invalid value"),
            new Refused(
                "delivery eventType non-Latin-1",
                deliverySpec(
                    "endpointRef: {name: e}\n  eventType: \"\u8ba2\u5355\"\n  payload: {a: 1}"),
                "spec.eventType: Invalid value"),
            new Refused(
                "delivery eventType of 254 characters",
                deliverySpec(
                    "endpointRef: {name: e}\n  eventType: "
                        + "e".repeat(254)
                        + "\n  payload: {a: 1}"),
                "spec.eventType in body should be at most 253 chars long"),
            new Refused(
                "delivery deliveryId with a space",
                deliverySpec(
                    "endpointRef: {name: e}\n  eventType: a\n  deliveryId: \"id 1\"\n"
                        + "  payload: {a: 1}"),
                "spec.deliveryId: Invalid value"),
            new Refused(
                "delivery endpointRef in another namespace",
                deliverySpec(
                    "endpointRef: {name: other/ep}\n  eventType: a\n" + "  payload: {a: 1}"),
                "spec.endpointRef.name: Invalid value"),
            new Refused(
                "event eventId with LF",
                """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookEvent
            metadata: {name: bad}
            spec: {eventType: a, eventId: "evt\\n1", payload: {a: 1}}
            """,
                "spec.eventId: Invalid value"),
            new Refused(
                "digest interval 1ms",
                """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookDigest
            metadata: {name: bad}
            spec: {interval: 1ms, webhook: {url: "https://h.example.com/"}}
            """,
                "spec.interval: Invalid value: \"1ms\""),
            new Refused(
                "digest interval 59s",
                """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookDigest
            metadata: {name: bad}
            spec: {interval: 59s, webhook: {url: "https://h.example.com/"}}
            """,
                "spec.interval: Invalid value: \"59s\""),
            new Refused(
                "digest webhook url of 2049 characters",
                """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookDigest
            metadata: {name: bad}
            spec: {webhook: {url: "https://h.example.com/%s"}}
            """
                    .formatted("a".repeat(2049 - 22)),
                "spec.webhook.url in body should be at most 2048 chars long"),
            new Refused(
                "digest from with CR LF",
                """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookDigest
            metadata: {name: bad}
            spec: {email: {to: [ops@example.com], from: "a@b\\r\\nBcc: x@y", smtpSecretRef: {name: smtp}}}
            """,
                "spec.email.from: Invalid value"),
            new Refused(
                "name with capitals and underscore",
                """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookEndpoint
            metadata: {name: Bad_Name}
            spec: {url: "https://h.example.com"}
            """,
                "Invalid value: \"Bad_Name\""));
    for (Refused input : corpus) {
      tried.incrementAndGet();
      Kubectl.Result r = create(input.yaml());
      assertThat(r.exitCode()).as("%s: %s", input.label(), r).isNotZero();
      assertThat(r.errors())
          .as("%s: %s", input.label(), r)
          .contains("is invalid")
          .contains(input.messageParts());
    }
    assertThat(env.ok("get", "herald", "-o", "name")).as("nothing was stored").isBlank();
    assertThat(operator.isAlive()).isTrue();
  }

  @Test
  @Order(2)
  void aPayloadOverTheRequestLimitIsRefusedByTheServer() {
    // 3.5 MB of payload: over the API server's 3 MiB request body limit
    String blob = "a".repeat(3_500_000);
    tried.incrementAndGet();
    Kubectl.Result r =
        create(
            deliverySpec(
                "endpointRef: {name: e}\n  eventType: big\n  payload: {blob: " + blob + "}"));
    assertThat(r.exitCode()).as("exit code").isNotZero();
    assertThat(r.errors()).as(r.errors()).containsIgnoringCase("too large");
    assertThat(env.ok("get", "whd", "-o", "name")).as("nothing was stored").isBlank();
    assertThat(operator.isAlive()).isTrue();
  }

  @Test
  @Order(3)
  void schemaValidSpecsTheOperatorCannotUseAreInvalidSpecWithAWarningEvent() {
    List<Invalid> corpus =
        List.of(
            new Invalid(
                "reserved header webhook-signature",
                "hdr-signature",
                endpoint(
                    "hdr-signature",
                    "https://h.example.com/",
                    "1s",
                    "headers: {webhook-signature: \"v1,forged\"}"),
                "webhook-signature"),
            new Invalid(
                "reserved header Host",
                "hdr-host",
                endpoint(
                    "hdr-host",
                    "https://h.example.com/",
                    "1s",
                    "headers: {Host: evil.example.com}"),
                "Host"),
            new Invalid(
                "reserved header webhook-id",
                "hdr-id",
                endpoint("hdr-id", "https://h.example.com/", "1s", "headers: {Webhook-Id: fixed}"),
                "Webhook-Id"),
            new Invalid(
                "reserved header Content-Length",
                "hdr-length",
                endpoint(
                    "hdr-length",
                    "https://h.example.com/",
                    "1s",
                    "headers: {Content-Length: \"0\"}"),
                "Content-Length"),
            new Invalid(
                "reserved header Transfer-Encoding",
                "hdr-te",
                endpoint(
                    "hdr-te",
                    "https://h.example.com/",
                    "1s",
                    "headers: {Transfer-Encoding: chunked}"),
                "Transfer-Encoding"),
            new Invalid(
                "header name that is no token",
                "hdr-space",
                endpoint(
                    "hdr-space", "https://h.example.com/", "1s", "headers: {\"X Team\": billing}"),
                "not an HTTP token"),
            new Invalid(
                "zero timeout",
                "zero-timeout",
                """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookEndpoint
            metadata: {name: zero-timeout}
            spec: {url: "https://h.example.com/", timeout: 0s}
            """,
                "spec.timeout must be positive"),
            new Invalid(
                "timeout beyond the maximum duration",
                "huge-timeout",
                """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookEndpoint
            metadata: {name: huge-timeout}
            spec: {url: "https://h.example.com/", timeout: 99999999h}
            """,
                "longer than the maximum"),
            new Invalid(
                "no spec at all",
                "no-spec",
                """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookEndpoint
            metadata: {name: no-spec}
            """,
                "spec is missing"));
    for (Invalid input : corpus) {
      tried.incrementAndGet();
      Kubectl.Result r = create(input.yaml());
      assertThat(r.exitCode()).as("%s is admitted by the schema: %s", input.label(), r).isZero();
    }
    for (Invalid input : corpus) {
      env.awaitField(
          "whe",
          input.name(),
          ".status.conditions[?(@.type==\"Ready\")].reason",
          "InvalidSpec"::equals);
      assertThat(
              env.jsonpath("whe", input.name(), ".status.conditions[?(@.type==\"Ready\")].status"))
          .isEqualTo("False");
      assertThat(
              env.jsonpath("whe", input.name(), ".status.conditions[?(@.type==\"Ready\")].message"))
          .as(input.label())
          .contains(input.messagePart());
      String selector =
          "involvedObject.name="
              + input.name()
              + ",involvedObject.kind=WebhookEndpoint,type=Warning,reason=InvalidSpec";
      await(input.label() + ": a Warning Event")
          .atMost(E2EEnvironment.WAIT)
          .pollInterval(E2EEnvironment.POLL)
          .until(
              () -> !env.ok("get", "events", "--field-selector", selector, "-o", "name").isBlank());
      assertThat(env.jsonpath("whe", input.name(), ".status.signingSecretName"))
          .as("no Secret for an invalid endpoint")
          .isEmpty();
    }
    assertThat(operator.isAlive()).isTrue();
  }

  @Test
  @Order(4)
  void privateAndMetadataAddressesAreBlockedWithoutAConnection() {
    List<String> urls =
        List.of(
            "http://10.0.0.1/hooks",
            "https://10.0.0.1/hooks",
            "http://192.168.1.1:8080/",
            "http://172.16.0.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::ffff:10.0.0.1]/",
            "http://0.0.0.0/",
            "http://100.64.0.1/");
    for (int i = 0; i < urls.size(); i++) {
      tried.incrementAndGet();
      env.apply(endpoint("private-" + i, urls.get(i), "1s"));
      env.apply(delivery("to-private-" + i, "private-" + i, "{\"i\": " + i + "}"));
    }
    for (int i = 0; i < urls.size(); i++) {
      String name = "to-private-" + i;
      env.awaitDeliveryPhase(name, "Exhausted");
      assertThat(env.jsonpath("whd", name, ".status.lastError.class"))
          .as(urls.get(i))
          .isEqualTo("Blocked");
      assertThat(env.jsonpath("whd", name, ".status.attemptLog[*].errorClass"))
          .as("every attempt refused before connecting")
          .isEqualTo("Blocked Blocked");
      assertThat(env.jsonpath("whd", name, ".status.lastStatusCode"))
          .as("no HTTP response")
          .isEmpty();
    }
    assertThat(operator.isAlive()).isTrue();
  }

  @Test
  @Order(5)
  void aDeliveryNamingAMissingEndpointWaits() {
    tried.incrementAndGet();
    env.apply(delivery("orphan", "does-not-exist", "{\"a\": 1}"));
    env.awaitField(
        "whd",
        "orphan",
        ".status.conditions[?(@.type==\"Ready\")].reason",
        "EndpointNotFound"::equals);
    assertThat(env.jsonpath("whd", "orphan", ".status.attempts")).isIn("", "0");
  }

  @Test
  @Order(6)
  void aBlankRotateAnnotationCountsAsAbsent() {
    tried.incrementAndGet();
    TestReceiver receiver = env.receiver();
    env.apply(
        """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookEndpoint
        metadata:
          name: blank-rotate
          annotations: {herald.dev/rotate-secret: ""}
        spec: {url: "%s", retry: {schedule: ["1s"]}}
        """
            .formatted(receiver.url("/blank")));
    env.awaitField(
        "whe", "blank-rotate", ".status.conditions[?(@.type==\"Ready\")].reason", "Ready"::equals);
    assertThat(env.jsonpath("whe", "blank-rotate", ".status.signingSecretName")).isNotBlank();
    env.apply(delivery("via-blank-rotate", "blank-rotate", "{\"a\": 1}"));
    env.awaitDeliveryPhase("via-blank-rotate", "Succeeded");
  }

  @Test
  @Order(7)
  void afterAllOfItTheOperatorStillDelivers() {
    assertThat(operator.isAlive()).as("the operator survived the corpus").isTrue();
    TestReceiver receiver = env.receiver();
    env.apply(endpoint("good", receiver.url("/hooks"), "1s"));
    env.apply(delivery("good-1", "good", "{\"ok\": true}"));
    env.awaitDeliveryPhase("good-1", "Succeeded");
    assertThat(receiver.received()).hasSize(1);
    assertThat(operator.log()).doesNotContain("Exception in thread");
    assertThat(operator.isAlive()).isTrue();
  }

  private static Kubectl.Result create(String yaml) {
    // create, not apply: no last-applied annotation doubling the size; --validate=false: the server
    // decides
    return env.kubectl()
        .runWithInput(yaml, "create", "--validate=false", "-n", env.ns(), "-f", "-");
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

  private static String schedule(String entry) {
    return endpointSpec("url: https://h.example.com\n  retry: {schedule: [\"" + entry + "\"]}");
  }

  private static String deliverySpec(String specLines) {
    return """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookDelivery
        metadata: {name: bad}
        spec:
          %s
        """
        .formatted(specLines);
  }
}
