package dev.herald.cli;

import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.kube.Times;
import dev.herald.kube.client.KubeApiClient;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.recover.ProgressBar;
import dev.herald.recover.RecoverFilter;
import dev.herald.recover.Recovery;
import dev.herald.recover.TimeArgument;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald recover}: replays every delivery of a time range, as the Standard Webhooks spec
 * asks ("failures within a range") and label selectors cannot say ("since 09:00").
 */
@Command(
    name = "recover",
    mixinStandardHelpOptions = true,
    description = {
      "Replay the WebhookDeliveries of a time range (default: Exhausted ones) by setting their"
          + " herald.dev/replay annotation; the operator sends each again with the same webhook-id.",
      "Uses the current kubeconfig context; needs list and patch on webhookdeliveries."
    })
public final class RecoverCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-n", "--namespace"},
      description = "Namespace (default: the kubeconfig context's).")
  String namespace;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Every namespace.")
  boolean allNamespaces;

  @Option(names = "--endpoint", description = "Only deliveries to this WebhookEndpoint.")
  String endpoint;

  @Option(
      names = "--since",
      description =
          "From this time on (inclusive): RFC 3339 (2026-12-02T09:00:00Z), a date (2026-12-02,"
              + " midnight UTC) or a duration before now (90m, 2h).")
  String since;

  @Option(names = "--until", description = "Before this time (exclusive), same forms as --since.")
  String until;

  @Option(
      names = "--by",
      defaultValue = "created",
      description =
          "Which time --since/--until bound: created (metadata.creationTimestamp) or last-attempt"
              + " (status.lastAttemptTime). Default ${DEFAULT-VALUE}.")
  String by;

  @Option(
      names = "--phase",
      split = ",",
      defaultValue = "Exhausted",
      description =
          "Phases to replay, comma-separated: Exhausted, Failed, Succeeded (default ${DEFAULT-VALUE}).")
  List<String> phases;

  @Option(
      names = {"-l", "--selector"},
      description = "A label selector to narrow the list, as kubectl's.")
  String selector;

  @Option(names = "--dry-run", description = "List what would be replayed and change nothing.")
  boolean dryRun;

  @Option(
      names = "--replay-value",
      description =
          "The herald.dev/replay value to set (default: recover-<seconds since the epoch>).")
  String replayValue;

  @Option(
      names = "--qps",
      defaultValue = "20",
      description = "API requests a second at most (default ${DEFAULT-VALUE}).")
  double qps;

  @Option(
      names = "--progress",
      defaultValue = "auto",
      description = "Progress bar on stderr: auto (on a terminal), always, never.")
  String progress;

  private final Clock clock;
  private final Function<Double, KubernetesClient> clients;

  public RecoverCommand() {
    this(
        Clock.systemUTC(),
        qps ->
            KubeApiClient.build(
                Config.autoConfigure(null),
                qps,
                Math.max(1, (int) Math.ceil(qps)),
                new HeraldMetrics(new SimpleMeterRegistry())));
  }

  /** For tests: a fixed clock and a client of their own (e.g. a mock server's). */
  RecoverCommand(Clock clock, Function<Double, KubernetesClient> clients) {
    this.clock = clock;
    this.clients = clients;
  }

  @Override
  public Integer call() {
    RecoverFilter filter = filter();
    if (allNamespaces && namespace != null) {
      throw new ParameterException(
          spec.commandLine(), "--namespace and --all-namespaces exclude each other");
    }
    if (qps <= 0) {
      throw new ParameterException(spec.commandLine(), "--qps must be above 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (KubernetesClient client = clients.apply(qps)) {
      String ns = allNamespaces ? null : namespace != null ? namespace : contextNamespace(client);
      Recovery recovery = new Recovery(client);
      List<Recovery.Target> targets = recovery.find(ns, selector, filter);
      String scope = ns == null ? "all namespaces" : "namespace " + ns;
      if (dryRun) {
        printTable(out, targets);
        out.printf(
            "would replay %d deliveries in %s (%s)%n", targets.size(), scope, describe(filter));
        out.flush();
        return 0;
      }
      String value =
          replayValue != null ? replayValue : "recover-" + clock.instant().getEpochSecond();
      boolean bar =
          switch (progress) {
            case "always" -> true;
            case "never" -> false;
            default -> System.console() != null;
          };
      Recovery.Summary summary =
          recovery.replay(
              targets,
              value,
              (done, total) -> {
                if (bar) {
                  err.print("\r" + ProgressBar.render(done, total, 30));
                  err.flush();
                }
              });
      if (bar) {
        err.println();
        err.flush();
      }
      out.printf(
          "matched %d deliveries in %s (%s), herald.dev/replay=%s%n",
          summary.matched(), scope, describe(filter), value);
      out.printf(
          "replayed %d, already replaying %d, gone %d, failed %d%n",
          summary.replayed(),
          summary.alreadyReplaying(),
          summary.gone(),
          summary.failures().size());
      summary.failures().forEach(f -> out.println("failed: " + f));
      out.flush();
      return summary.failures().isEmpty() ? 0 : 1;
    }
  }

  RecoverFilter filter() {
    Instant now = clock.instant();
    try {
      Set<DeliveryPhase> wanted = EnumSet.noneOf(DeliveryPhase.class);
      phases.forEach(p -> wanted.add(RecoverFilter.phase(p)));
      RecoverFilter.TimeField field =
          switch (by) {
            case "created" -> RecoverFilter.TimeField.created;
            case "last-attempt" -> RecoverFilter.TimeField.lastAttempt;
            default ->
                throw new IllegalArgumentException(
                    "--by must be created or last-attempt, not '" + by + "'");
          };
      return new RecoverFilter(
          endpoint,
          wanted,
          field,
          since == null ? null : TimeArgument.parse(since, now),
          until == null ? null : TimeArgument.parse(until, now));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static String contextNamespace(KubernetesClient client) {
    String ns = client.getConfiguration().getNamespace();
    return ns == null || ns.isBlank() ? "default" : ns;
  }

  private String describe(RecoverFilter filter) {
    StringBuilder s = new StringBuilder("phases ");
    s.append(String.join(",", filter.phases().stream().map(Enum::name).sorted().toList()));
    if (filter.endpoint() != null) {
      s.append(", endpoint ").append(filter.endpoint());
    }
    if (filter.since() != null) {
      s.append(", ").append(by).append(" since ").append(Times.format(filter.since()));
    }
    if (filter.until() != null) {
      s.append(", ").append(by).append(" until ").append(Times.format(filter.until()));
    }
    return s.toString();
  }

  private static void printTable(PrintWriter out, List<Recovery.Target> targets) {
    String format = "%-20s %-40s %-24s %-10s %-24s %-24s%n";
    out.printf(format, "NAMESPACE", "NAME", "ENDPOINT", "PHASE", "CREATED", "LAST ATTEMPT");
    for (Recovery.Target t : targets) {
      out.printf(
          format,
          t.namespace(),
          t.name() + (t.replayPending() ? " (replaying)" : ""),
          t.endpoint(),
          t.phase(),
          t.created() == null ? "" : Times.format(t.created()),
          t.lastAttempt() == null ? "" : Times.format(t.lastAttempt()));
    }
  }
}
