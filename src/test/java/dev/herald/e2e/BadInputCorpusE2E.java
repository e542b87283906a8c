package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * A corpus of bad input through the real API server while the operator runs: what the schema or
 * the server refuses never gets stored; what passes the schema but is still wrong is reported
 * (InvalidSpec, Blocked) without a connection to a forbidden address; the operator survives all
 * of it and still delivers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCorpusE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("badinput");
  private static final AtomicInteger tried = new AtomicInteger();
  private static HeraldProcess operator;

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
    List<Refused> corpus = List.of(
        new Refused("endpoint without url", endpointSpec("paused: true"), "spec.url: Required value"),
        new Refused("endpoint url ftp", endpointSpec("url: ftp://hooks.example.com/"), "spec.url: Invalid value"),
        new Refused("endpoint url without scheme", endpointSpec("url: hooks.example.com/x"), "spec.url: Invalid value"),
        new Refused("endpoint url without host", endpointSpec("url: \"https://\""), "spec.url: Invalid value"),
        new Refused("endpoint url with empty host", endpointSpec("url: http:///hooks"), "spec.url: Invalid value"),
        new Refused("endpoint url with credentials", endpointSpec("url: https://user:secret@hooks.example.com/"),
            "spec.url: Invalid value"),
        new Refused("endpoint url with user only", endpointSpec("url: https://admin@hooks.example.com/"), "spec.url: Invalid value"),
        new Refused("endpoint url with a space", endpointSpec("url: \"https://hooks.example.com/a b\""), "spec.url: Invalid value"),
        new Refused("endpoint url javascript:", endpointSpec("url: \"javascript:alert(1)\""), "spec.url: Invalid value"),
        new Refused("endpoint url as a number", endpointSpec("url: 42"), "spec.url: Invalid value"),
        new Refused("timeout in words", endpointSpec("url: https://h.example.com\n  timeout: 10 seconds"), "spec.timeout: Invalid value"),
        new Refused("timeout negative", endpointSpec("url: https://h.example.com\n  timeout: \"-5s\""), "spec.timeout: Invalid value"),
        new Refused("timeout without unit", endpointSpec("url: https://h.example.com\n  timeout: \"5\""), "spec.timeout: Invalid value"),
        new Refused("timeout in days", endpointSpec("url: https://h.example.com\n  timeout: 1d"), "spec.timeout: Invalid value"),
        new Refused("timeout as an integer", endpointSpec("url: https://h.example.com\n  timeout: 5"), "spec.timeout: Invalid value"),
        new Refused("maxAge forever", endpointSpec("url: https://h.example.com\n  retry: {maxAge: forever}"),
            "spec.retry.maxAge: Invalid value"),
        new Refused("rotationOverlap with a space", endpointSpec("url: https://h.example.com\n  signing: {rotationOverlap: \"1 h\"}"),
            "spec.signing.rotationOverlap: Invalid value"),
        new Refused("ttlAfterFinished in weeks", endpointSpec("url: https://h.example.com\n  history: {ttlAfterFinished: 1w}"),
            "spec.history.ttlAfterFinished: Invalid value"),
        new Refused("history.keep negative", endpointSpec("url: https://h.example.com\n  history: {keep: -1}"),
            "spec.history.keep: Invalid value"),
        new Refused("paused as a string", endpointSpec("url: https://h.example.com\n  paused: \"yes\""), "spec.paused: Invalid value"),
        new Refused("schedule in words", schedule("every 5m"), "spec.retry.schedule", "Invalid value"),
        new Refused("schedule cron", schedule("*/5 * * * *"), "spec.retry.schedule", "Invalid value"),
        new Refused("schedule @hourly", schedule("@hourly"), "spec.retry.schedule", "Invalid value"),
        new Refused("schedule x0", schedule("1m x0"), "spec.retry.schedule", "Invalid value"),
        new Refused("schedule x100000", schedule("1m x100000"), "spec.retry.schedule", "Invalid value"),
        new Refused("schedule repeat first", schedule("x3 1m"), "spec.retry.schedule", "Invalid value"),
        new Refused("schedule comma list", schedule("1m,5m"), "spec.retry.schedule", "Invalid value"),
        new Refused("schedule not a list", endpointSpec("url: https://h.example.com\n  retry: {schedule: 1m}"),
            "spec.retry.schedule: Invalid value"),
        new Refused("secretRef without name", endpointSpec("url: https://h.example.com\n  signing: {secretRef: {key: k}}"),
            "spec.signing.secretRef.name: Required value"),
        new Refused("delivery without endpointRef", deliverySpec("eventType: a\n  payload: {a: 1}"), "spec.endpointRef: Required value"),
        new Refused("delivery without eventType", deliverySpec("endpointRef: {name: e}\n  payload: {a: 1}"),
            "spec.eventType: Required value"),
        new Refused("delivery without payload", deliverySpec("endpointRef: {name: e}\n  eventType: a"), "spec.payload: Required value"),
        new Refused("delivery payload a string", deliverySpec("endpointRef: {name: e}\n  eventType: a\n  payload: hello"),
            "spec.payload: Invalid value"),
        new Refused("delivery payload a list", deliverySpec("endpointRef: {name: e}\n  eventType: a\n  payload: [1, 2]"),
            "spec.payload: Invalid value"),
        new Refused("delivery endpointRef without name", deliverySpec("endpointRef: {}\n  eventType: a\n  payload: {a: 1}"),
            "spec.endpointRef.name: Required value"),
        new Refused("name with capitals and underscore", """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookEndpoint
            metadata: {name: Bad_Name}
            spec: {url: "https://h.example.com"}
            """, "Invalid value: \"Bad_Name\""));
    for (Refused input : corpus) {
      tried.incrementAndGet();
      Kubectl.Result r = create(input.yaml());
      assertThat(r.exitCode()).as("%s: %s", input.label(), r).isNotZero();
      assertThat(r.errors()).as("%s: %s", input.label(), r).contains("is invalid").contains(input.messageParts());
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
    Kubectl.Result r = create(deliverySpec("endpointRef: {name: e}\n  eventType: big\n  payload: {blob: " + blob + "}"));
    assertThat(r.exitCode()).as("exit code").isNotZero();
    assertThat(r.errors()).as(r.errors()).containsIgnoringCase("too large");
    assertThat(env.ok("get", "whd", "-o", "name")).as("nothing was stored").isBlank();
    assertThat(operator.isAlive()).isTrue();
  }

  @Test
  @Order(3)
  void schemaValidSpecsTheOperatorCannotUseAreInvalidSpecWithAWarningEvent() {
    List<Invalid> corpus = List.of(
        new Invalid("reserved header webhook-signature", "hdr-signature",
            endpoint("hdr-signature", "https://h.example.com/", "1s", "headers: {webhook-signature: \"v1,forged\"}"),
            "webhook-signature"),
        new Invalid("reserved header Host", "hdr-host",
            endpoint("hdr-host", "https://h.example.com/", "1s", "headers: {Host: evil.example.com}"), "Host"),
        new Invalid("reserved header webhook-id", "hdr-id",
            endpoint("hdr-id", "https://h.example.com/", "1s", "headers: {Webhook-Id: fixed}"), "Webhook-Id"),
        new Invalid("reserved header Content-Length", "hdr-length",
            endpoint("hdr-length", "https://h.example.com/", "1s", "headers: {Content-Length: \"0\"}"), "Content-Length"),
        new Invalid("reserved header Transfer-Encoding", "hdr-te",
            endpoint("hdr-te", "https://h.example.com/", "1s", "headers: {Transfer-Encoding: chunked}"), "Transfer-Encoding"),
        new Invalid("zero timeout", "zero-timeout", """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookEndpoint
            metadata: {name: zero-timeout}
            spec: {url: "https://h.example.com/", timeout: 0s}
            """, "spec.timeout must be positive"),
        new Invalid("timeout beyond the maximum duration", "huge-timeout", """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookEndpoint
            metadata: {name: huge-timeout}
            spec: {url: "https://h.example.com/", timeout: 99999999h}
            """, "longer than the maximum"),
        new Invalid("no spec at all", "no-spec", """
            apiVersion: herald.dev/v1alpha1
            kind: WebhookEndpoint
            metadata: {name: no-spec}
            """, "spec is missing"));
    for (Invalid input : corpus) {
      tried.incrementAndGet();
      Kubectl.Result r = create(input.yaml());
      assertThat(r.exitCode()).as("%s is admitted by the schema: %s", input.label(), r).isZero();
    }
    for (Invalid input : corpus) {
      env.awaitField("whe", input.name(), ".status.conditions[?(@.type==\"Ready\")].reason", "InvalidSpec"::equals);
      assertThat(env.jsonpath("whe", input.name(), ".status.conditions[?(@.type==\"Ready\")].status")).isEqualTo("False");
      assertThat(env.jsonpath("whe", input.name(), ".status.conditions[?(@.type==\"Ready\")].message"))
          .as(input.label()).contains(input.messagePart());
      String selector = "involvedObject.name=" + input.name() + ",involvedObject.kind=WebhookEndpoint,type=Warning,reason=InvalidSpec";
      await(input.label() + ": a Warning Event").atMost(E2EEnvironment.WAIT).pollInterval(E2EEnvironment.POLL)
          .until(() -> !env.ok("get", "events", "--field-selector", selector, "-o", "name").isBlank());
      assertThat(env.jsonpath("whe", input.name(), ".status.signingSecretName")).as("no Secret for an invalid endpoint").isEmpty();
    }
    assertThat(operator.isAlive()).isTrue();
  }

  @Test
  @Order(4)
  void privateAndMetadataAddressesAreBlockedWithoutAConnection() {
    List<String> urls = List.of(
        "http://10.0.0.1/hooks", "https://10.0.0.1/hooks", "http://192.168.1.1:8080/", "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/", "http://[::ffff:10.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/");
    for (int i = 0; i < urls.size(); i++) {
      tried.incrementAndGet();
      env.apply(endpoint("private-" + i, urls.get(i), "1s"));
      env.apply(delivery("to-private-" + i, "private-" + i, "{\"i\": " + i + "}"));
    }
    for (int i = 0; i < urls.size(); i++) {
      String name = "to-private-" + i;
      env.awaitDeliveryPhase(name, "Exhausted");
      assertThat(env.jsonpath("whd", name, ".status.lastError.class")).as(urls.get(i)).isEqualTo("Blocked");
      assertThat(env.jsonpath("whd", name, ".status.attemptLog[*].errorClass")).as("every attempt refused before connecting")
          .isEqualTo("Blocked Blocked");
      assertThat(env.jsonpath("whd", name, ".status.lastStatusCode")).as("no HTTP response").isEmpty();
    }
    assertThat(operator.isAlive()).isTrue();
  }

  @Test
  @Order(5)
  void aDeliveryNamingAMissingEndpointWaits() {
    tried.incrementAndGet();
    env.apply(delivery("orphan", "does-not-exist", "{\"a\": 1}"));
    env.awaitField("whd", "orphan", ".status.conditions[?(@.type==\"Ready\")].reason", "EndpointNotFound"::equals);
    assertThat(env.jsonpath("whd", "orphan", ".status.attempts")).isIn("", "0");
  }

  @Test
  @Order(6)
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
    // create, not apply: no last-applied annotation doubling the size; --validate=false: the server decides
    return env.kubectl().runWithInput(yaml, "create", "--validate=false", "-n", env.ns(), "-f", "-");
  }

  private static String endpointSpec(String specLines) {
    return """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookEndpoint
        metadata: {name: bad}
        spec:
          %s
        """.formatted(specLines);
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
        """.formatted(specLines);
  }
}
