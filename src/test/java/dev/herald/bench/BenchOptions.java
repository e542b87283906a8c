package dev.herald.bench;

import dev.herald.testing.OperatorProcess;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The benchmark's flags: sizes small enough by default to finish in a few minutes on 2 cores. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Herald against the real kube-apiserver: throughput, its limits, memory, isolation and fairness.")
final class BenchOptions {
  @Option(
      names = "--scenarios",
      split = ",",
      defaultValue = "throughput,limits,memory,isolation,fairness",
      description = "Which scenarios to run (default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(
      names = "--deliveries",
      defaultValue = "1000",
      description = "Deliveries per throughput run (default: ${DEFAULT-VALUE}).")
  int deliveries;

  @Option(
      names = "--endpoints",
      split = ",",
      defaultValue = "1,10,100",
      description = "Endpoint counts of the throughput runs (default: ${DEFAULT-VALUE}).")
  List<Integer> endpoints;

  @Option(
      names = "--concurrency",
      defaultValue = "16",
      description = "Creates (and raw writes/POSTs) in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--runs",
      defaultValue = "1",
      description =
          "Repeats of each throughput scenario; medians are printed (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--history",
      split = ",",
      defaultValue = "0,10000,50000",
      description =
          "Finished deliveries present when the operator starts, one memory measure each (default: ${DEFAULT-VALUE}).")
  List<Integer> history;

  @Option(
      names = "--isolation-deliveries",
      defaultValue = "500",
      description =
          "Deliveries to the healthy endpoints in the isolation scenario (default: ${DEFAULT-VALUE}).")
  int isolationDeliveries;

  @Option(
      names = "--isolation-endpoints",
      defaultValue = "10",
      description = "Healthy endpoints in the isolation scenario (default: ${DEFAULT-VALUE}).")
  int isolationEndpoints;

  @Option(
      names = "--hang-queued",
      defaultValue = "200",
      description =
          "Deliveries queued to the hanging endpoint before the healthy ones are created (default: ${DEFAULT-VALUE}).")
  int hangQueued;

  @Option(
      names = "--hang-timeout",
      defaultValue = "5s",
      description = "The hanging endpoint's spec.timeout (default: ${DEFAULT-VALUE}).")
  String hangTimeout;

  @Option(
      names = "--fairness-noisy",
      defaultValue = "1000",
      description =
          "Deliveries in the noisy namespace of the fairness scenario, retrying every second (default: ${DEFAULT-VALUE}).")
  int fairnessNoisy;

  @Option(
      names = "--fairness-quiet",
      defaultValue = "200",
      description =
          "Deliveries in each measure of the quiet namespace (default: ${DEFAULT-VALUE}).")
  int fairnessQuiet;

  @Option(
      names = "--fairness-rate",
      defaultValue = "20",
      description =
          "Deliveries a second created in the quiet namespace (default: ${DEFAULT-VALUE}).")
  double fairnessRate;

  @Option(
      names = "--fairness-endpoints",
      defaultValue = "2",
      description = "Endpoints of the quiet namespace (default: ${DEFAULT-VALUE}).")
  int fairnessEndpoints;

  @Option(
      names = "--baseline-jar",
      description =
          "Also run the throughput and fairness scenarios with this operator jar first (e.g. one built from main), and print both.")
  Path baselineJar;

  @Option(
      names = "--jvm-options",
      defaultValue = "-XX:MaxRAM=512m -XX:MaxRAMPercentage=75.0",
      description =
          "JVM options of the operator process (default: ${DEFAULT-VALUE}: the chart's javaOptions"
              + " in a pod limited to 512Mi, as the JVM would see that container).")
  String jvmOptions;

  @Option(
      names = "--operator-args",
      defaultValue = "",
      description = "Extra `herald run` flags, space-separated, e.g. \"--reconcile-threads 20\".")
  String operatorArgs;

  @Option(
      names = "--operator-warmup",
      defaultValue = "0",
      description =
          "Deliveries each operator of the throughput and isolation scenarios gets before the measured window, so that the window's"
              + " figures (CPU per delivery above all) are not its JIT warm-up (default: ${DEFAULT-VALUE}).")
  int operatorWarmup;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      description =
          "Seconds a throughput run may take before it is abandoned (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--jar",
      defaultValue = "target/herald.jar",
      description = "The operator jar (default: ${DEFAULT-VALUE}).")
  Path jar;

  @Option(
      names = "--logs",
      defaultValue = "target/bench",
      description = "Operator logs go here (default: ${DEFAULT-VALUE}).")
  Path logs;

  @Option(
      names = "--keep-namespaces",
      description = "Leave each scenario's namespace behind, for a look afterwards.")
  boolean keepNamespaces;

  List<String> jvmOptions() {
    return jvmOptions.isBlank() ? List.of() : Arrays.asList(jvmOptions.trim().split("\\s+"));
  }

  List<String> operatorArgs() {
    return operatorArgs.isBlank() ? List.of() : Arrays.asList(operatorArgs.trim().split("\\s+"));
  }

  /**
   * The operator jar of these options as a process watching {@code namespace}, on a free health
   * port the bench reads {@code /metrics} and {@code /readyz} from, its log in {@link #logs}.
   */
  OperatorProcess launchOperator(String namespace, List<String> extra) {
    return launchOperator(jar, namespace, namespace, extra);
  }

  /**
   * {@code namespaces}: what --namespaces gets (comma-separated); {@code logName}: the log file's
   * name before -operator.log.
   */
  OperatorProcess launchOperator(Path jar, String namespaces, String logName, List<String> extra) {
    return OperatorProcess.launch(
        jar,
        jvmOptions(),
        namespaces,
        OperatorProcess.freePort(),
        extra,
        null,
        Map.of(),
        logs.resolve(logName + "-operator.log"));
  }

  boolean runs(String scenario) {
    return scenarios.contains(scenario);
  }
}
