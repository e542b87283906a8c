package dev.herald.operator;

import dev.herald.http.SenderOptions;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the operator against the current kubeconfig or the in-cluster service account. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the operator against a Kubernetes cluster.")
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--namespaces", split = ",", defaultValue = "${env:HERALD_NAMESPACES}",
      description = "Namespaces to watch, comma-separated; empty watches all (env HERALD_NAMESPACES).")
  List<String> namespaces;

  @Option(names = "--reconcile-threads", defaultValue = "${env:HERALD_RECONCILE_THREADS:-50}",
      description = "Concurrent reconciles (env HERALD_RECONCILE_THREADS, default ${DEFAULT-VALUE}).")
  int reconcileThreads;

  @Option(names = "--health-port", defaultValue = "${env:HERALD_HEALTH_PORT:-8080}",
      description = "Port of /healthz and /readyz (env HERALD_HEALTH_PORT, default ${DEFAULT-VALUE}); 0 picks one.")
  int healthPort;

  @Option(names = "--leader-election-namespace", defaultValue = "${env:HERALD_LEADER_ELECTION_NAMESPACE}",
      description = "Namespace of the leader-election Lease; set it to run several replicas (env HERALD_LEADER_ELECTION_NAMESPACE).")
  String leaseNamespace;

  @Option(names = "--allow-plain-http", negatable = true, defaultValue = "${env:HERALD_ALLOW_PLAIN_HTTP:-true}",
      description = "Allow http:// endpoints (env HERALD_ALLOW_PLAIN_HTTP, default ${DEFAULT-VALUE}).")
  boolean allowPlainHttp;

  @Override
  public Integer call() throws InterruptedException {
    Config kube = Config.autoConfigure(null);
    HeraldConfig config =
        HeraldConfig.defaults()
            .withNamespaces(namespaces == null ? Set.of() : Set.copyOf(namespaces))
            .withReconcileThreads(reconcileThreads)
            .withLeaseNamespace(leaseNamespace == null || leaseNamespace.isBlank() ? null : leaseNamespace)
            .withSenderOptions(SenderOptions.defaults().withAllowPlainHttp(allowPlainHttp));
    KubernetesClient client = new KubernetesClientBuilder().withConfig(kube).build();
    LOG.info("herald {} starting: api={} namespaces={} leaderElection={}", Main.Version.current(), kube.getMasterUrl(),
        config.namespaces().isEmpty() ? "all" : config.namespaces(),
        config.leaseNamespace() == null ? "off" : config.leaseNamespace() + "/" + HeraldConfig.LEASE_NAME);
    if (kube.getImpersonateUsername() != null) {
      // fabric8 takes it from KUBERNETES_IMPERSONATE_USERNAME / -Dkubernetes.impersonate.username
      // (not from a kubeconfig's `as:`); worth a line when RBAC refuses something
      LOG.info("acting as {} (impersonation)", kube.getImpersonateUsername());
    }
    HeraldOperator operator = new HeraldOperator(client, config);
    HealthServer health = new HealthServer(healthPort, operator::runtimeInfo);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("herald stopping: finishing reconciles in flight");
      operator.close();
      health.close();
      stopped.countDown();
    }, "herald-shutdown"));
    operator.start();
    LOG.info("herald started; health checks on :{}", health.port());
    stopped.await();
    return 0;
  }
}
