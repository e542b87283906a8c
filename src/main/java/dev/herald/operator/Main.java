package dev.herald.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code herald} command: runs the operator against the current kubeconfig or in-cluster config. */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Delivers webhooks declared as WebhookEndpoint and WebhookDelivery resources.")
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Option(
      names = "--namespaces",
      split = ",",
      defaultValue = "${env:HERALD_NAMESPACES}",
      description = "Namespaces to watch, comma-separated; empty watches all (env HERALD_NAMESPACES).")
  List<String> namespaces;

  @Option(
      names = "--reconcile-threads",
      defaultValue = "${env:HERALD_RECONCILE_THREADS:-50}",
      description = "Concurrent reconciles (env HERALD_RECONCILE_THREADS, default ${DEFAULT-VALUE}).")
  int reconcileThreads;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    Config kube = Config.autoConfigure(null);
    HeraldConfig config =
        HeraldConfig.defaults()
            .withNamespaces(namespaces == null ? Set.of() : Set.copyOf(namespaces))
            .withReconcileThreads(reconcileThreads);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(kube).build();
    LOG.info("herald {} starting against {} (namespaces: {})", Version.current(), kube.getMasterUrl(),
        config.namespaces().isEmpty() ? "all" : config.namespaces());
    HeraldOperator operator = new HeraldOperator(client, config).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("herald stopping");
      operator.close();
      stopped.countDown();
    }, "herald-shutdown"));
    stopped.await();
    return 0;
  }

  /** The version from the jar manifest, or "dev" when run from classes. */
  public static final class Version implements CommandLine.IVersionProvider {
    static String current() {
      String v = Main.class.getPackage().getImplementationVersion();
      return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
      return new String[] {"herald " + current()};
    }
  }
}
