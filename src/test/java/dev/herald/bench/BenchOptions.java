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
        "Herald against the real kube-apiserver: throughput, its limits, memory, isolation, fairness,"
            + " paced load, fan-out, a backlog in backoff and a soak.")
final class BenchOptions {
  @Option(
      names = "--scenarios",
      split = ",",
      defaultValue = "throughput,limits,memory,isolation,fairness,paced,fanout,backlog,soak",
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
      defaultValue =
          "-XX:MaxRAM=512m -XX:+UseSerialGC -XX:MaxRAMPercentage=50.0 -XX:ReservedCodeCacheSize=64m",
      description =
          "JVM options of the operator process (default: ${DEFAULT-VALUE}: the chart's javaOptions"
              + " in a pod limited to 512Mi, as the JVM would see that container).")
  String jvmOptions;

  @Option(
      names = "--baseline-jvm-options",
      description =
          "Also run the throughput scenario with these JVM options first (with --baseline-jar's jar, else the"
              + " same jar), and print both side by side (default: the baseline, if any, uses --jvm-options).")
  String baselineJvmOptions;

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

  @Option(
      names = "--quick",
      description =
          "Small sizes for every flag not given: the whole bench in a few minutes (see bench/README.md).")
  boolean quick;

  @Option(
      names = "--capacity-deliveries",
      defaultValue = "1000",
      description =
          "Deliveries of the burst that measures the capacity paced load and soak take their rates from (default: ${DEFAULT-VALUE}).")
  int capacityDeliveries;

  @Option(
      names = "--paced-endpoints",
      defaultValue = "10",
      description = "Endpoints of the paced load (default: ${DEFAULT-VALUE}).")
  int pacedEndpoints;

  @Option(
      names = "--paced-rates",
      split = ",",
      defaultValue = "0.25,0.5,0.8",
      description =
          "Offered rates of the paced load, as shares of the capacity measured just before (default: ${DEFAULT-VALUE}).")
  List<Double> pacedRates;

  @Option(
      names = "--paced-seconds",
      defaultValue = "30",
      description = "Seconds of each paced rate (default: ${DEFAULT-VALUE}).")
  int pacedSeconds;

  @Option(
      names = "--fanout-endpoints",
      split = ",",
      defaultValue = "1,10,50",
      description = "Endpoint counts each event goes to (default: ${DEFAULT-VALUE}).")
  List<Integer> fanoutEndpoints;

  @Option(
      names = "--fanout-events",
      defaultValue = "100",
      description = "Events per fan-out measure (default: ${DEFAULT-VALUE}).")
  int fanoutEvents;

  @Option(
      names = "--fanout-direct",
      defaultValue = "500",
      description =
          "Deliveries created directly first, the baseline of the events' POSTs/s (default: ${DEFAULT-VALUE}).")
  int fanoutDirect;

  @Option(
      names = "--backlog",
      defaultValue = "10000",
      description = "Deliveries in backoff (default: ${DEFAULT-VALUE}).")
  int backlog;

  @Option(
      names = "--backlog-delay",
      defaultValue = "60s",
      description =
          "The backlog endpoints' retry schedule: one retry this long after the failed first attempt (default: ${DEFAULT-VALUE}).")
  String backlogDelay;

  @Option(
      names = "--backlog-endpoints",
      defaultValue = "10",
      description = "Endpoints the backlog is spread over (default: ${DEFAULT-VALUE}).")
  int backlogEndpoints;

  @Option(
      names = "--backlog-share",
      defaultValue = "0.3",
      description =
          "The backlog is created open loop at this share of the capacity measured just before, so"
              + " its retries fall due at that pace too; first attempts and retries together, with"
              + " the probe, stay below the capacity (default: ${DEFAULT-VALUE}).")
  double backlogShare;

  @Option(
      names = "--backlog-probe",
      defaultValue = "100",
      description =
          "New deliveries measured idle and again while the retries fall due (default: ${DEFAULT-VALUE}).")
  int backlogProbe;

  @Option(
      names = "--backlog-probe-rate",
      defaultValue = "10",
      description = "Their rate a second, open loop (default: ${DEFAULT-VALUE}).")
  double backlogProbeRate;

  @Option(
      names = "--soak-minutes",
      defaultValue = "10",
      description = "Minutes of the soak (default: ${DEFAULT-VALUE}).")
  double soakMinutes;

  @Option(
      names = "--soak-endpoints",
      defaultValue = "100",
      description = "Endpoints of the soak (default: ${DEFAULT-VALUE}).")
  int soakEndpoints;

  @Option(
      names = "--soak-sample-seconds",
      defaultValue = "5",
      description = "Seconds between the soak's samples (default: ${DEFAULT-VALUE}).")
  double soakSampleSeconds;

  /**
   * The sizes of {@code --quick}, for each flag not given on the command line: every scenario in a
   * few minutes on 2 cores, with figures too small to quote.
   */
  static final Map<String, String> QUICK =
      Map.ofEntries(
          Map.entry("--deliveries", "200"),
          Map.entry("--endpoints", "1,10"),
          Map.entry("--history", "0,1000"),
          Map.entry("--isolation-deliveries", "100"),
          Map.entry("--hang-queued", "50"),
          Map.entry("--fairness-noisy", "200"),
          Map.entry("--fairness-quiet", "60"),
          Map.entry("--capacity-deliveries", "300"),
          Map.entry("--paced-seconds", "10"),
          Map.entry("--fanout-events", "10"),
          Map.entry("--fanout-direct", "100"),
          Map.entry("--backlog", "500"),
          Map.entry("--backlog-delay", "20s"),
          Map.entry("--backlog-probe", "50"),
          Map.entry("--soak-minutes", "1.5"),
          Map.entry("--soak-sample-seconds", "3"));

  List<String> jvmOptions() {
    return words(jvmOptions);
  }

  /** True when the throughput scenario runs a baseline operator before each measure. */
  boolean throughputBaseline() {
    return baselineJar != null || baselineJvmOptions != null;
  }

  /**
   * The baseline operator of the throughput scenario: --baseline-jar and --baseline-jvm-options.
   */
  Variant baseline() {
    return new Variant(
        baselineJar != null ? baselineJar : jar,
        baselineJvmOptions != null ? words(baselineJvmOptions) : jvmOptions());
  }

  /** The operator under test: --jar (target/herald.jar) and --jvm-options. */
  Variant measured() {
    return new Variant(jar, jvmOptions());
  }

  /** An operator jar and the JVM options it runs with. */
  record Variant(Path jar, List<String> jvmOptions) {
    /** "jar /tmp/a.jar, JVM options -XX:MaxRAM=512m" for the report. */
    String describe() {
      return "jar " + jar + ", JVM options " + String.join(" ", jvmOptions);
    }
  }

  private static List<String> words(String s) {
    return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
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
    return launchOperator(new Variant(jar, jvmOptions()), namespaces, logName, extra);
  }

  OperatorProcess launchOperator(
      Variant variant, String namespaces, String logName, List<String> extra) {
    return OperatorProcess.launch(
        variant.jar(),
        variant.jvmOptions(),
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
