package dev.herald.cli;

import dev.herald.demo.DemoCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code herald} command. Without a subcommand it runs the operator against the configured
 * cluster, or, when no cluster is configured, the embedded demo.
 */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    subcommands = {RunCommand.class, DemoCommand.class, RecoverCommand.class},
    description = "Delivers webhooks declared as WebhookEndpoint and WebhookDelivery resources.")
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() {
    String[] none = new String[0];
    if (clusterConfigured()) {
      return new CommandLine(new RunCommand()).execute(none);
    }
    System.out.println(
        "No Kubernetes cluster configured (no KUBECONFIG, ~/.kube/config or in-cluster service account):");
    System.out.println("running the embedded demo. Use `herald run` to run against a cluster.");
    return new CommandLine(new DemoCommand()).execute(none);
  }

  /** The same places fabric8's Config.autoConfigure looks in. */
  static boolean clusterConfigured() {
    String kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      return true;
    }
    if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
      return true;
    }
    return Files.isRegularFile(Path.of(System.getProperty("user.home"), ".kube", "config"));
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
