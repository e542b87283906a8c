package dev.herald.cli;

import dev.herald.egress.EgressPolicy;
import dev.herald.http.ProxyCredentialsDir;
import dev.herald.http.ProxySettings;
import dev.herald.http.SenderOptions;
import dev.herald.kube.client.KubeApiClient;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.operator.HealthServer;
import dev.herald.operator.HeraldConfig;
import dev.herald.operator.HeraldOperator;
import dev.herald.retention.FinishedBudget;
import dev.herald.retry.Durations;
import dev.herald.tracing.TracingSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs the operator against the current kubeconfig or the in-cluster service account. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the operator against a Kubernetes cluster.")
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = "--namespaces",
      split = ",",
      defaultValue = "${env:HERALD_NAMESPACES}",
      description =
          "Namespaces to watch, comma-separated; empty watches all (env HERALD_NAMESPACES).")
  List<String> namespaces;

  @Option(
      names = "--reconcile-threads",
      defaultValue = "${env:HERALD_RECONCILE_THREADS:-50}",
      description =
          "Concurrent reconciles (env HERALD_RECONCILE_THREADS, default ${DEFAULT-VALUE}).")
  int reconcileThreads;

  @Option(
      names = "--max-in-flight-per-endpoint",
      defaultValue = "${env:HERALD_MAX_IN_FLIGHT_PER_ENDPOINT:-10}",
      description =
          "Attempts in flight to one endpoint at once, so a hanging endpoint cannot take every"
              + " slot (env HERALD_MAX_IN_FLIGHT_PER_ENDPOINT, default ${DEFAULT-VALUE}).")
  int maxInFlightPerEndpoint;

  @Option(
      names = "--max-in-flight",
      defaultValue = "${env:HERALD_MAX_IN_FLIGHT:-500}",
      description =
          "Attempts in flight overall: open webhook requests, each a connection"
              + " (env HERALD_MAX_IN_FLIGHT, default ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--health-port",
      defaultValue = "${env:HERALD_HEALTH_PORT:-8080}",
      description =
          "Port of /healthz and /readyz (env HERALD_HEALTH_PORT, default ${DEFAULT-VALUE}); 0 picks one.")
  int healthPort;

  @Option(
      names = "--leader-election-namespace",
      defaultValue = "${env:HERALD_LEADER_ELECTION_NAMESPACE}",
      description =
          "Namespace of the leader-election Lease; set it to run several replicas (env HERALD_LEADER_ELECTION_NAMESPACE).")
  String leaseNamespace;

  @Option(
      names = "--label-selector",
      defaultValue = "${env:HERALD_LABEL_SELECTOR}",
      description =
          "Only WebhookEndpoints, WebhookEvents, WebhookDeliveries and WebhookDigests matching this label"
              + " selector are handled, e.g. shard=a: several instances, each with its own selector (and Lease), split"
              + " the work (env HERALD_LABEL_SELECTOR).")
  String labelSelector;

  @Option(
      names = "--kube-api-qps",
      defaultValue = "${env:HERALD_KUBE_API_QPS:-200}",
      description =
          "Kubernetes API requests a second the operator sends at most, watches aside; requests over it"
              + " wait their turn; 0: no limit (env HERALD_KUBE_API_QPS, default ${DEFAULT-VALUE}).")
  double kubeApiQps;

  @Option(
      names = "--kube-api-burst",
      defaultValue = "${env:HERALD_KUBE_API_BURST:-400}",
      description =
          "Kubernetes API requests sent at once after a quiet spell, above --kube-api-qps"
              + " (env HERALD_KUBE_API_BURST, default ${DEFAULT-VALUE}).")
  int kubeApiBurst;

  @Option(
      names = "--kube-api-max-in-flight",
      defaultValue =
          "${env:HERALD_KUBE_API_MAX_IN_FLIGHT:-"
              + HeraldConfig.DEFAULT_KUBE_API_MAX_IN_FLIGHT
              + "}",
      description =
          "Kubernetes API requests open at once at most, watches aside (with --kube-api-qps above 0);"
              + " requests over it wait in the same line, served round robin per namespace; 0: no bound"
              + " (env HERALD_KUBE_API_MAX_IN_FLIGHT, default ${DEFAULT-VALUE}).")
  int kubeApiMaxInFlight;

  @Option(
      names = "--allow-plain-http",
      negatable = true,
      defaultValue = "${env:HERALD_ALLOW_PLAIN_HTTP:-false}",
      description =
          "Allow http:// endpoints (env HERALD_ALLOW_PLAIN_HTTP, default ${DEFAULT-VALUE}).")
  boolean allowPlainHttp;

  @Option(
      names = "--egress-allow",
      split = ",",
      defaultValue = "${env:HERALD_EGRESS_ALLOW}",
      description =
          "Exceptions to the egress policy, comma-separated: CIDRs (10.0.0.0/8), addresses (127.0.0.1), "
              + "host names (hooks.internal) and *.domain patterns (*.svc.cluster.local) (env HERALD_EGRESS_ALLOW). "
              + "Without them, loopback, private, link-local, metadata and reserved addresses are refused.")
  List<String> egressAllow;

  @Option(
      names = "--egress-deny",
      split = ",",
      defaultValue = "${env:HERALD_EGRESS_DENY}",
      description =
          "More CIDRs to refuse besides the built-in ones, comma-separated: the cluster's service and pod "
              + "CIDRs belong here (env HERALD_EGRESS_DENY).")
  List<String> egressDeny;

  @Option(
      names = "--proxy",
      defaultValue = "${env:HERALD_PROXY}",
      description =
          "Send attempts through this HTTP CONNECT proxy, http://host:port (env HERALD_PROXY);"
              + " endpoints opt out with spec.bypassProxy. The proxy's address and every"
              + " receiver's pass the egress policy; plain http is not proxied.")
  String proxy;

  @Option(
      names = "--proxy-credentials-dir",
      defaultValue = "${env:HERALD_PROXY_CREDENTIALS_DIR}",
      description =
          "A directory with files username and password (a mounted kubernetes.io/basic-auth"
              + " Secret) for the proxy's basic authentication, read again when they change"
              + " (env HERALD_PROXY_CREDENTIALS_DIR).")
  String proxyCredentialsDir;

  @Option(
      names = "--finished-per-namespace",
      defaultValue = "${env:HERALD_FINISHED_PER_NAMESPACE:-1000}",
      description =
          "Finished WebhookDeliveries (and, apart, finished WebhookEvents) kept per namespace at most;"
              + " beyond it the oldest succeeded ones are deleted first, before their TTL; 0: no"
              + " budget (env HERALD_FINISHED_PER_NAMESPACE, default ${DEFAULT-VALUE}).")
  int finishedPerNamespace;

  @Option(
      names = "--finished-per-cluster",
      defaultValue = "${env:HERALD_FINISHED_PER_CLUSTER:-8000}",
      description =
          "Finished WebhookDeliveries (and, apart, finished WebhookEvents) kept in all watched"
              + " namespaces at most; 0: no budget (env HERALD_FINISHED_PER_CLUSTER, default"
              + " ${DEFAULT-VALUE}).")
  int finishedPerCluster;

  @Option(
      names = "--event-ttl-after-finished",
      defaultValue = "${env:HERALD_EVENT_TTL_AFTER_FINISHED:-168h}",
      description =
          "How long a WebhookEvent is kept once it has fanned out and none of its deliveries is"
              + " unfinished, e.g. 24h, 30m (env HERALD_EVENT_TTL_AFTER_FINISHED, default"
              + " ${DEFAULT-VALUE}).")
  String eventTtlAfterFinished;

  @Option(
      names = "--otlp-endpoint",
      defaultValue = "${env:HERALD_OTLP_ENDPOINT}",
      description =
          "Export one OpenTelemetry span per attempt over OTLP (HTTP/protobuf) to this collector,"
              + " e.g. http://otel-collector.observability:4318 (spans go to /v1/traces under it);"
              + " the standard OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME,"
              + " OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, ...) apply too, this flag wins"
              + " over their endpoint. Unset, and without OTEL_EXPORTER_OTLP_ENDPOINT, no span is"
              + " made (env HERALD_OTLP_ENDPOINT). The collector is not subject to the egress policy.")
  String otlpEndpoint;

  @Option(
      names = "--test-crash-before-event-status",
      defaultValue = "false",
      description =
          "Test only, never in production: halt the process (exit 137, no shutdown, as a SIGKILL)"
              + " right before the first WebhookEvent status write that follows the deliveries it"
              + " created for failed first attempts; the end-to-end tests check at-least-once"
              + " across that crash with it.")
  boolean crashBeforeEventStatus;

  @Spec CommandSpec spec;

  /** The OTEL_* variables come from here (tests set their own). */
  Map<String, String> environment = System.getenv();

  static final int MIN_REQUEST_TIMEOUT_MS = 60_000;

  @Override
  public Integer call() throws InterruptedException {
    HeraldConfig config = config();
    Config kube = Config.autoConfigure(null);
    if (kube.getRequestTimeout() < MIN_REQUEST_TIMEOUT_MS) {
      // The first list of deliveries makes the API server read every delivery of the namespace from
      // etcd to filter out finished ones; with tens of thousands that outlasts fabric8's 10 s.
      // The API server's own limit (--request-timeout) is 60 s.
      kube.setRequestTimeout(MIN_REQUEST_TIMEOUT_MS);
    }
    HeraldMetrics metrics = HeraldMetrics.prometheus();
    KubernetesClient client =
        KubeApiClient.build(
            kube, config.kubeApiQps(), config.kubeApiBurst(), kubeApiMaxInFlight, metrics);
    LOG.info(
        "herald {} starting: api={} namespaces={} labelSelector={} leaderElection={} apiLimit={}",
        Main.Version.current(),
        kube.getMasterUrl(),
        config.namespaces().isEmpty() ? "all" : config.namespaces(),
        config.labelSelector() == null ? "none" : config.labelSelector(),
        config.leaseNamespace() == null
            ? "off"
            : config.leaseNamespace() + "/" + config.leaseName(),
        config.kubeApiQps() > 0
            ? config.kubeApiQps() + "/s burst " + config.kubeApiBurst()
            : "off");
    if (kube.getImpersonateUsername() != null) {
      // fabric8 takes it from KUBERNETES_IMPERSONATE_USERNAME / -Dkubernetes.impersonate.username
      // (not from a kubeconfig's `as:`); worth a line when RBAC refuses something
      LOG.info("acting as {} (impersonation)", kube.getImpersonateUsername());
    }
    if (config.tracing() == null) {
      // with an endpoint, Tracing says where spans go once the SDK is up
      LOG.info(
          "tracing: off (no --otlp-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT); trace contexts are"
              + " sent on as given");
    }
    LOG.info(
        "{}; plain http {}; {}",
        config.senderOptions().egressPolicy(),
        config.senderOptions().allowPlainHttp() ? "allowed" : "refused",
        config.senderOptions().proxy() == null ? "no proxy" : config.senderOptions().proxy());
    HeraldOperator operator = new HeraldOperator(client, config, metrics);
    HealthServer health =
        new HealthServer(healthPort, operator::runtimeInfo, operator.metrics()::scrape);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("herald stopping: finishing reconciles in flight");
                  operator.close();
                  health.close();
                  stopped.countDown();
                },
                "herald-shutdown"));
    operator.start();
    LOG.info("herald started; health checks on :{}", health.port());
    stopped.await();
    return 0;
  }

  /** The configuration the options describe; a bad egress entry is a usage error naming it. */
  HeraldConfig config() {
    EgressPolicy policy;
    try {
      policy = EgressPolicy.of(egressAllow, egressDeny);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--egress-allow/--egress-deny: " + e.getMessage(), e);
    }
    if (kubeApiQps > 0 && kubeApiBurst < 1) {
      throw new ParameterException(
          spec.commandLine(), "--kube-api-burst must be at least 1, got " + kubeApiBurst);
    }
    if (kubeApiMaxInFlight < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--kube-api-max-in-flight must be 0 or more, got " + kubeApiMaxInFlight);
    }
    if (Double.isNaN(kubeApiQps) || Double.isInfinite(kubeApiQps)) {
      throw new ParameterException(
          spec.commandLine(), "--kube-api-qps must be a number, got " + kubeApiQps);
    }
    FinishedBudget budget;
    try {
      budget = new FinishedBudget(finishedPerNamespace, finishedPerCluster);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--finished-per-namespace/--finished-per-cluster: " + e.getMessage());
    }
    Duration eventTtl;
    try {
      eventTtl = Durations.parse(eventTtlAfterFinished);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--event-ttl-after-finished: " + e.getMessage());
    }
    TracingSettings tracing;
    try {
      tracing = TracingSettings.of(otlpEndpoint, environment).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--otlp-endpoint: " + e.getMessage(), e);
    }
    SenderOptions sender =
        SenderOptions.defaults().withAllowPlainHttp(allowPlainHttp).withEgressPolicy(policy);
    if (proxy != null && !proxy.isBlank()) {
      Supplier<Optional<ProxySettings.Credentials>> credentials =
          proxyCredentialsDir == null || proxyCredentialsDir.isBlank()
              ? Optional::empty
              : new ProxyCredentialsDir(Path.of(proxyCredentialsDir));
      try {
        sender = sender.withProxy(ProxySettings.parse(proxy, credentials));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--proxy: " + e.getMessage(), e);
      }
    }
    return HeraldConfig.builder()
        .finishedBudget(budget)
        .eventTtlAfterFinished(eventTtl)
        .crashBeforeEventStatus(crashBeforeEventStatus)
        .tracing(tracing)
        .namespaces(
            namespaces == null
                ? Set.of()
                : namespaces.stream()
                    .map(String::trim)
                    .filter(n -> !n.isEmpty())
                    .collect(java.util.stream.Collectors.toSet()))
        .reconcileThreads(reconcileThreads)
        .maxInFlightPerEndpoint(maxInFlightPerEndpoint)
        .maxInFlight(maxInFlight)
        .leaseNamespace(leaseNamespace == null || leaseNamespace.isBlank() ? null : leaseNamespace)
        .labelSelector(
            labelSelector == null || labelSelector.isBlank() ? null : labelSelector.trim())
        .kubeApiQps(kubeApiQps)
        .kubeApiBurst(kubeApiBurst)
        .senderOptions(sender)
        .build();
  }
}
