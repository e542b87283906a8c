package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.egress.EgressPolicy;
import dev.herald.egress.IpLiteral;
import dev.herald.http.SenderOptions;
import dev.herald.operator.HeraldConfig;
import dev.herald.retention.FinishedBudget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flags of {@code herald run}, parsed as picocli does, without starting an operator. */
class RunCommandTest {

  private static SenderOptions parse(String... args) {
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs(args);
    return command.config().senderOptions();
  }

  @Test
  void byDefaultOnlyHttpsToPublicAddresses() {
    // Assumes the test JVM has no HERALD_* variables set, as in CI and hack/test.sh.
    SenderOptions options = parse();

    assertThat(options.allowPlainHttp()).isFalse();
    assertThat(options.egressPolicy().allowedCidrs()).isEmpty();
    assertThat(options.egressPolicy().allowedHosts()).isEmpty();
    assertThat(options.egressPolicy().denied()).isEqualTo(EgressPolicy.DEFAULT_DENIED);
  }

  @Test
  void allowDenyAndPlainHttpFlags() {
    SenderOptions options =
        parse(
            "--egress-allow=127.0.0.1/32,*.svc.cluster.local",
            "--egress-allow",
            "::1",
            "--egress-deny",
            "10.96.0.0/12,10.244.0.0/16",
            "--allow-plain-http");
    EgressPolicy policy = options.egressPolicy();

    assertThat(options.allowPlainHttp()).isTrue();
    assertThat(policy.check("127.0.0.1", IpLiteral.parse("127.0.0.1")).allowed()).isTrue();
    assertThat(policy.check("::1", IpLiteral.parse("::1")).allowed()).isTrue();
    assertThat(
            policy.check("billing.shop.svc.cluster.local", IpLiteral.parse("10.96.0.10")).allowed())
        .isTrue();
    assertThat(policy.check("10.96.0.10", IpLiteral.parse("10.96.0.10")).allowed()).isFalse();
    assertThat(policy.denied()).hasSize(EgressPolicy.DEFAULT_DENIED.size() + 2);
  }

  @Test
  void inFlightLimits() {
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs("--max-in-flight", "64", "--max-in-flight-per-endpoint=3");

    assertThat(command.config().maxInFlight()).isEqualTo(64);
    assertThat(command.config().maxInFlightPerEndpoint()).isEqualTo(3);
  }

  @Test
  void inFlightLimitDefaults() {
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs();

    assertThat(command.config().maxInFlight()).isEqualTo(500);
    assertThat(command.config().maxInFlightPerEndpoint()).isEqualTo(10);
  }

  @Test
  void aBadEntryIsAUsageErrorNamingIt() {
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new Main())
            .setErr(new PrintWriter(err, true))
            .execute("run", "--egress-allow", "10.1.0.0/8");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("--egress-allow/--egress-deny")
        .contains("did you mean 10.0.0.0/8");
  }

  private static HeraldConfig config(String... args) {
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  @Test
  void kubeApiLimitAndLabelSelectorDefaults() {
    HeraldConfig config = config();

    assertThat(config.kubeApiQps()).isEqualTo(HeraldConfig.DEFAULT_KUBE_API_QPS).isEqualTo(200);
    assertThat(config.kubeApiBurst()).isEqualTo(HeraldConfig.DEFAULT_KUBE_API_BURST).isEqualTo(400);
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs();
    assertThat(command.kubeApiMaxInFlight)
        .as("a bound by default: beyond it requests wait in the fair line, not at the API server")
        .isEqualTo(HeraldConfig.DEFAULT_KUBE_API_MAX_IN_FLIGHT)
        .isEqualTo(4);
    assertThat(config.labelSelector()).isNull();
    assertThat(config.leaseName())
        .as("unchanged, so an upgrade keeps the lease")
        .isEqualTo(HeraldConfig.LEASE_NAME);
  }

  @Test
  void kubeApiLimitAndLabelSelectorFlags() {
    HeraldConfig config =
        config("--kube-api-qps", "7.5", "--kube-api-burst=15", "--label-selector", " shard=a ");

    assertThat(config.kubeApiQps()).isEqualTo(7.5);
    assertThat(config.kubeApiBurst()).isEqualTo(15);
    assertThat(config.labelSelector()).isEqualTo("shard=a");
    assertThat(config("--kube-api-qps", "0").kubeApiQps()).as("no limit").isZero();
  }

  @Test
  void retentionDefaultsAndFlags() {
    assertThat(config().finishedBudget()).isEqualTo(new FinishedBudget(1_000, 8_000));
    assertThat(config().eventTtlAfterFinished()).isEqualTo(Duration.ofHours(168));
    HeraldConfig config =
        config(
            "--finished-per-namespace",
            "20",
            "--finished-per-cluster=0",
            "--event-ttl-after-finished",
            "90s");
    assertThat(config.finishedBudget()).isEqualTo(new FinishedBudget(20, 0));
    assertThat(config.eventTtlAfterFinished()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void aNegativeBudgetOrABadTtlIsAUsageError() {
    for (String[] args :
        List.of(
            new String[] {"run", "--finished-per-namespace", "-1"},
            new String[] {"run", "--event-ttl-after-finished", "1 day"})) {
      StringWriter err = new StringWriter();
      int exit = new CommandLine(new Main()).setErr(new PrintWriter(err, true)).execute(args);
      assertThat(exit).isEqualTo(2);
      assertThat(err.toString()).contains(args[1]);
    }
  }

  @Test
  void eachLabelShardHasItsOwnLease() {
    String a = config("--label-selector", "shard=a").leaseName();
    String b = config("--label-selector", "shard=b").leaseName();

    assertThat(a)
        .startsWith(HeraldConfig.LEASE_NAME + "-")
        .isNotEqualTo(b)
        .hasSizeLessThanOrEqualTo(63);
    assertThat(config("--label-selector", "shard=a").leaseName()).isEqualTo(a);
  }

  @Test
  void aBurstBelowOneIsAUsageError() {
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new Main())
            .setErr(new PrintWriter(err, true))
            .execute("run", "--kube-api-burst", "0");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--kube-api-burst must be at least 1");
  }

  @Test
  void noTracingUnlessAnOtlpEndpointIsConfigured() {
    assertThat(config().tracing()).isNull();
    assertThat(withEnvironment(Map.of("OTEL_SERVICE_NAME", "herald-a")).config().tracing())
        .isNull();
  }

  @Test
  void theOtlpEndpointFlagOrTheStandardVariableTurnsSpansOn() {
    assertThat(config("--otlp-endpoint", "http://collector:4318").tracing().endpoint())
        .isEqualTo("http://collector:4318/v1/traces");
    assertThat(
            withEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))
                .config()
                .tracing()
                .endpoint())
        .isEqualTo("http://c:4318/v1/traces");
  }

  @Test
  void aBadOtlpEndpointOrProtocolIsAUsageError() {
    RunCommand grpc = withEnvironment(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
    CommandLine line = new CommandLine(grpc);
    line.parseArgs("--otlp-endpoint", "http://c:4317");
    assertThatThrownBy(grpc::config)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("http/protobuf only");

    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new Main())
            .setErr(new PrintWriter(err, true))
            .execute("run", "--otlp-endpoint", "collector:4318");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--otlp-endpoint: the OTLP endpoint must be an http://");
  }

  private static RunCommand withEnvironment(Map<String, String> environment) {
    RunCommand command = new RunCommand();
    command.environment = environment;
    new CommandLine(command).parseArgs();
    return command;
  }
}
