package dev.herald.e2e;

import static org.awaitility.Awaitility.await;

import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One test class's world on the real API server: Herald's CRDs, a namespace of its own ({@code
 * e2e-<name>-<random>}, created before and deleted after the class), the operator processes and
 * local receivers the tests start (stopped after the class), and, when a test fails, a dump of
 * {@code kubectl get herald -o yaml} and the operator logs.
 *
 * <p>Register it as {@code @RegisterExtension static final E2EEnvironment env = new
 * E2EEnvironment("name");}.
 */
public final class E2EEnvironment implements BeforeAllCallback, AfterAllCallback, TestWatcher {
  /**
   * A small heap and a quick start (C1 only, unlike the chart: a test's operator lives minutes, not
   * past its JIT's start-up): several operators may run at once on a small machine.
   */
  private static final List<String> E2E_JVM =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /** Bound of every wait on the cluster: generous for a loaded 2-core machine, still bounded. */
  public static final Duration WAIT = Duration.ofSeconds(60);

  public static final Duration POLL = Duration.ofMillis(250);
  private static final List<String> CRDS =
      List.of(
          "crd/webhookendpoints.herald.dev",
          "crd/webhookdeliveries.herald.dev",
          "crd/webhookevents.herald.dev",
          "crd/webhookdigests.herald.dev");
  private static volatile boolean crdsInstalled;

  private final String name;
  private final Kubectl kubectl = Kubectl.fromEnvironment();
  private final List<OperatorProcess> operators = new ArrayList<>();
  private final List<TestReceiver> receivers = new ArrayList<>();
  private final List<FaultProxy> proxies = new ArrayList<>();
  private String namespace;

  public E2EEnvironment(String name) {
    this.name = name;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    installCrds(kubectl);
    namespace = "e2e-" + name + "-" + UUID.randomUUID().toString().substring(0, 5);
    kubectl.ok("create", "namespace", namespace);
    log("namespace %s created for %s", namespace, context.getDisplayName());
  }

  /** {@code kubectl apply -f crds/} and wait until every CRD is Established; once per JVM. */
  static synchronized void installCrds(Kubectl kubectl) {
    if (crdsInstalled) {
      return;
    }
    kubectl.ok("apply", "-f", E2ESettings.basedir().resolve("crds").toString());
    List<String> wait =
        new ArrayList<>(List.of("wait", "--for", "condition=established", "--timeout=60s"));
    wait.addAll(CRDS);
    kubectl.ok(wait.toArray(String[]::new));
    crdsInstalled = true;
  }

  public String ns() {
    return namespace;
  }

  public Kubectl kubectl() {
    return kubectl;
  }

  /** Starts {@code herald run} for this namespace and waits until its controllers run. */
  public OperatorProcess startOperator() {
    return startOperator(Map.of()).awaitStarted();
  }

  /** Starts the operator with extra environment variables, without waiting for it. */
  public OperatorProcess startOperator(Map<String, String> env) {
    return startOperator(env, List.of());
  }

  /**
   * Starts the operator with extra environment variables and {@code herald run} options, without
   * waiting for it.
   */
  public OperatorProcess startOperator(Map<String, String> env, List<String> extraArgs) {
    return startOperator(kubectl.kubeconfig(), env, extraArgs);
  }

  /**
   * Starts the operator with another kubeconfig (e.g. a {@link FaultProxy}'s), without waiting for
   * it.
   */
  public OperatorProcess startOperator(
      Path kubeconfig, Map<String, String> env, List<String> extraArgs) {
    return startOperator(kubeconfig, env, extraArgs, 0);
  }

  /** Starts the operator with /metrics on a free port ({@link OperatorProcess#metrics}). */
  public OperatorProcess startOperatorWithMetrics() {
    return startOperator(kubectl.kubeconfig(), Map.of(), List.of(), OperatorProcess.freePort())
        .awaitStarted();
  }

  private OperatorProcess startOperator(
      Path kubeconfig, Map<String, String> env, List<String> extraArgs, int healthPort) {
    Path log =
        E2ESettings.logs().resolve(namespace + "-operator-" + (operators.size() + 1) + ".log");
    List<String> args = new ArrayList<>(List.of("--reconcile-threads", "8"));
    args.addAll(extraArgs);
    OperatorProcess operator =
        OperatorProcess.launch(
            E2ESettings.jar(), E2E_JVM, namespace, healthPort, args, kubeconfig, env, log);
    operators.add(operator);
    log("operator %d started, log %s", operators.size(), log);
    return operator;
  }

  /**
   * A fault-injecting proxy to the suite's API server, closed after the class; its kubeconfig lies
   * next to the operator logs.
   */
  public FaultProxy faultProxy(long seed) {
    Path file =
        E2ESettings.logs().resolve(namespace + "-proxy-" + (proxies.size() + 1) + ".kubeconfig");
    FaultProxy proxy = new FaultProxy(kubectl.kubeconfig(), file, seed);
    proxies.add(proxy);
    log("fault proxy %d on 127.0.0.1:%d (seed %d)", proxies.size(), proxy.port(), seed);
    return proxy;
  }

  /** A receiver on 127.0.0.1 closed after the class. */
  public TestReceiver receiver() {
    TestReceiver receiver = new TestReceiver();
    receivers.add(receiver);
    return receiver;
  }

  /**
   * A scripted receiver with these options (https: {@code TestCerts.httpsOptions}), closed after
   * the class.
   */
  public TestReceiver receiver(io.vertx.core.http.HttpServerOptions options) {
    TestReceiver receiver = new TestReceiver(options);
    receivers.add(receiver);
    return receiver;
  }

  /** kubectl in this namespace; fails the test unless it exits 0. */
  public String ok(String... args) {
    return kubectl.ok(inNamespace(args));
  }

  public Kubectl.Result run(String... args) {
    return kubectl.run(inNamespace(args));
  }

  /** {@code kubectl apply -n NS -f -} with this YAML; fails the test unless it exits 0. */
  public String apply(String yaml) {
    return kubectl.okWithInput(yaml, inNamespace("apply", "-f", "-"));
  }

  /** {@code kubectl get KIND NAME -o jsonpath=...}, or null when the object does not exist. */
  public String jsonpath(String kind, String objectName, String path) {
    Kubectl.Result r = run("get", kind, objectName, "-o", "jsonpath={" + path + "}");
    if (!r.ok()) {
      if (r.stderr().contains("NotFound")) {
        return null;
      }
      throw new AssertionError(r.toString());
    }
    return r.stdout();
  }

  /** Polls a field until it satisfies the condition; returns its value. */
  public String awaitField(
      String kind, String objectName, String path, Predicate<String> condition) {
    String[] last = new String[1];
    await(kind + " " + objectName + " " + path)
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(
            () -> {
              last[0] = jsonpath(kind, objectName, path);
              return last[0] != null && condition.test(last[0]);
            });
    return last[0];
  }

  /** The phase in status and, written right after it, the herald.dev/phase label selectors use. */
  public String awaitDeliveryPhase(String delivery, String phase) {
    String status = awaitField("whd", delivery, ".status.phase", phase::equals);
    awaitField("whd", delivery, ".metadata.labels.herald\\.dev/phase", phase::equals);
    return status;
  }

  public boolean exists(String kind, String objectName) {
    return jsonpath(kind, objectName, ".metadata.name") != null;
  }

  private String[] inNamespace(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("-n");
    all.add(namespace);
    return all.toArray(String[]::new);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    dump(context.getDisplayName());
  }

  /**
   * What a developer needs to see a failure: the custom resources, Secrets, events and operator
   * logs.
   */
  public void dump(String title) {
    StringBuilder sb = new StringBuilder();
    sb.append("\n===== e2e failure dump: ")
        .append(title)
        .append(" (namespace ")
        .append(namespace)
        .append(") =====\n");
    section(sb, "kubectl get herald -o yaml", run("get", "herald", "-o", "yaml"));
    section(sb, "kubectl get secrets", run("get", "secrets", "--show-labels"));
    section(sb, "kubectl get events", run("get", "events", "--sort-by=.lastTimestamp"));
    for (OperatorProcess operator : operators) {
      sb.append("--- operator log ")
          .append(operator.logFile())
          .append(operator.isAlive() ? " (running)" : " (exited)")
          .append('\n');
      sb.append(operator.log()).append('\n');
    }
    for (FaultProxy proxy : proxies) {
      sb.append("--- fault proxy 127.0.0.1:")
          .append(proxy.port())
          .append(": ")
          .append(proxy.summary())
          .append('\n');
    }
    for (TestReceiver receiver : receivers) {
      sb.append("--- receiver ")
          .append(receiver.url("/"))
          .append(": ")
          .append(receiver.received().size())
          .append(" requests\n");
      receiver
          .received()
          .forEach(
              r ->
                  sb.append("  ")
                      .append(r.at())
                      .append(' ')
                      .append(r.path())
                      .append(" webhook-id=")
                      .append(r.header("webhook-id"))
                      .append('\n'));
    }
    System.out.println(sb);
    try {
      Path file = E2ESettings.logs().resolve(namespace + "-dump.txt");
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          sb.toString(),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.out.println("(could not write the dump file: " + e + ")");
    }
  }

  private static void section(StringBuilder sb, String title, Kubectl.Result result) {
    sb.append("--- ")
        .append(title)
        .append('\n')
        .append(result.stdout())
        .append(result.errors())
        .append('\n');
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (namespace == null) {
      return;
    }
    try {
      // Deleted while an operator runs, endpoints pass through its finalizer (generated Secrets go
      // too).
      boolean operatorRunning = operators.stream().anyMatch(OperatorProcess::isAlive);
      if (operatorRunning) {
        run("delete", "whd,whe", "--all", "--wait=true", "--timeout=30s");
      }
    } finally {
      operators.forEach(OperatorProcess::stop);
      proxies.forEach(FaultProxy::close);
      receivers.forEach(TestReceiver::close);
      deleteNamespace();
    }
  }

  /**
   * Empties and deletes the namespace. Without kube-controller-manager (the default kube-lab) no
   * namespace controller empties it and removes its {@code kubernetes} finalizer, so after emptying
   * it ourselves we finalize it through the API, as that controller would.
   */
  private void deleteNamespace() {
    for (String kind : List.of("whe", "whd")) {
      for (String object : run("get", kind, "-o", "name").stdout().lines().toList()) {
        run("patch", object, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
      }
    }
    run("delete", "whd,whe,secrets,events", "--all", "--wait=false");
    kubectl.run("delete", "namespace", namespace, "--wait=false");
    // A namespace controller (kube-controller-manager) sets status conditions within a moment and
    // removes the namespace itself; without one, nothing touches it.
    try {
      await()
          .atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> gone() || controlled());
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> gone() || !controlled());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // fall through: finalize it
    }
    if (gone()) {
      log("namespace %s deleted", namespace);
      return;
    }
    String finalized =
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
            + namespace
            + "\"},\"spec\":{\"finalizers\":[]}}";
    Kubectl.Result r =
        kubectl.runWithInput(
            finalized,
            "replace",
            "--raw",
            "/api/v1/namespaces/" + namespace + "/finalize",
            "-f",
            "-");
    log(
        "namespace %s emptied and finalized by the suite (no namespace controller ran): exit %d",
        namespace, r.exitCode());
  }

  private boolean gone() {
    return kubectl.run("get", "namespace", namespace).stderr().contains("NotFound");
  }

  private boolean controlled() {
    Kubectl.Result r =
        kubectl.run("get", "namespace", namespace, "-o", "jsonpath={.status.conditions[*].type}");
    return r.ok() && !r.stdout().isBlank();
  }

  static void log(String format, Object... args) {
    System.out.println("[e2e] " + String.format(format, args));
  }
}
