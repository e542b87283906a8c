package dev.herald.demo;

import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.delivery.DeliveryStatuses;
import dev.herald.egress.EgressPolicy;
import dev.herald.http.SenderOptions;
import dev.herald.kube.Times;
import dev.herald.kube.client.KubeApiClient;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.operator.HeraldConfig;
import dev.herald.operator.HeraldOperator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A sandbox run of Herald on one machine: an in-process Kubernetes API (fabric8's mock server, CRUD
 * mode), Herald's CRDs, a receiver on 127.0.0.1, the operator, and a live table of the deliveries
 * until every one has finished. Nothing leaves this machine.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run a sandbox: in-process Kubernetes API, local receiver, live delivery table.")
public final class DemoCommand implements Callable<Integer> {
  static final String NAMESPACE = "demo";

  /** Herald's CRDs as the jar carries them (from crds/), in an order that applies cleanly. */
  public static final List<String> CRDS =
      List.of(
          "webhookendpoints.herald.dev-v1.yml",
          "webhookdeliveries.herald.dev-v1.yml",
          "webhookevents.herald.dev-v1.yml",
          "webhookdigests.herald.dev-v1.yml");

  @Option(
      names = "--failures",
      defaultValue = "2",
      description = "503s each billing event gets before a 200 (default ${DEFAULT-VALUE}).")
  int failures;

  @Option(
      names = "--timeout",
      defaultValue = "90",
      description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  private final PrintStream out = System.out;

  /** Held so the level sticks: JUL keeps loggers weakly. The mock server logs every request. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  @Override
  public Integer call() throws Exception {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    KubernetesMockServer api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            MockServerSelectors.dispatcher(),
            false);
    api.init(InetAddress.getLoopbackAddress(), 0);
    HeraldMetrics metrics = HeraldMetrics.prometheus();
    HeraldConfig defaults = HeraldConfig.defaults();
    try (KubernetesClient mockClient = api.createClient();
        KubernetesClient client =
            KubeApiClient.build(
                mockClient.getConfiguration(),
                defaults.kubeApiQps(),
                defaults.kubeApiBurst(),
                metrics);
        DemoReceiver receiver = new DemoReceiver(failures)) {
      out.printf(
          "Sandbox Kubernetes API (in-process mock) at %s; receiver at %s%n",
          client.getMasterUrl(), receiver.baseUrl());
      install(client, receiver.baseUrl());
      // The sandbox receiver is plain http on 127.0.0.1, which the default egress policy and
      // https-only default both refuse, as they should for URLs users type. Here every URL is
      // ours, so exactly that one address and plain http are let through, nothing more.
      SenderOptions local =
          SenderOptions.defaults()
              .withAllowPlainHttp(true)
              .withEgressPolicy(EgressPolicy.builder().allow("127.0.0.1/32").build());
      HeraldConfig config =
          defaults.toBuilder()
              .closeClientOnStop(false)
              .reconcileThreads(8)
              .senderOptions(local)
              .build();
      HeraldOperator operator = new HeraldOperator(client, config, metrics).start();
      boolean finished;
      try {
        finished = watch(client, Instant.now().plusSeconds(timeoutSeconds));
      } finally {
        operator.close(); // also writes the endpoint health still queued, so the summary shows it
      }
      out.printf("%nThe receiver got %d requests. Endpoints:%n", receiver.received());
      printEndpoints(client);
      out.println(
          finished
              ? "\nEvery delivery finished. Against a real cluster: kubectl apply -f crds/ && herald run (see README)."
              : "\nTimed out before every delivery finished.");
      return finished ? 0 : 1;
    } finally {
      api.destroy();
    }
  }

  private void install(KubernetesClient client, String receiverUrl) throws IOException {
    for (String crd : CRDS) {
      try (InputStream in = DemoCommand.class.getResourceAsStream("/META-INF/herald/crds/" + crd)) {
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      }
    }
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    String yaml;
    try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/demo.yaml")) {
      yaml =
          new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${RECEIVER}", receiverUrl);
    }
    for (HasMetadata resource :
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      client.resource(resource).create();
      out.printf("applied %s/%s%n", resource.getKind(), resource.getMetadata().getName());
    }
  }

  /** Prints the delivery table whenever it changes; true once every delivery has finished. */
  private boolean watch(KubernetesClient client, Instant deadline) throws InterruptedException {
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      List<WebhookDelivery> deliveries =
          client.resources(WebhookDelivery.class).inNamespace(NAMESPACE).list().getItems().stream()
              .sorted(java.util.Comparator.comparing(d -> d.getMetadata().getName()))
              .toList();
      String table = table(deliveries);
      if (!table.equals(last)) {
        out.printf(
            "%n[%s]%n%s", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), table);
        last = table;
      }
      boolean allDone =
          !deliveries.isEmpty() && deliveries.stream().allMatch(DeliveryStatuses::finished);
      if (allDone) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  static String table(List<WebhookDelivery> deliveries) {
    StringBuilder sb = new StringBuilder();
    String format = "%-12s %-9s %-14s %-10s %-5s %-9s %-13s%n";
    sb.append(
        String.format(
            format, "NAME", "ENDPOINT", "EVENT", "PHASE", "CODE", "ATTEMPTS", "NEXT ATTEMPT"));
    for (WebhookDelivery d : deliveries) {
      WebhookDeliveryStatus s = d.getStatus() == null ? new WebhookDeliveryStatus() : d.getStatus();
      sb.append(
          String.format(
              format,
              d.getMetadata().getName(),
              d.getSpec().getEndpointRef().getName(),
              d.getSpec().getEventType(),
              s.getPhase() == null ? "" : s.getPhase(),
              s.getLastStatusCode() == null ? "" : s.getLastStatusCode(),
              s.getAttempts() == null
                  ? ""
                  : s.getAttempts() + "/" + (s.getMaxAttempts() == null ? "?" : s.getMaxAttempts()),
              s.getNextAttemptTime() == null
                  ? ""
                  : "in "
                      + Math.max(
                          0,
                          Duration.between(Instant.now(), Times.parse(s.getNextAttemptTime()))
                              .toSeconds())
                      + "s"));
    }
    return sb.toString();
  }

  private void printEndpoints(KubernetesClient client) {
    for (WebhookEndpoint e :
        client.resources(WebhookEndpoint.class).inNamespace(NAMESPACE).list().getItems()) {
      var s = e.getStatus();
      out.printf(
          "  %-8s phase=%s consecutiveFailures=%s signingSecret=%s%n",
          e.getMetadata().getName(),
          s == null ? "" : s.getPhase(),
          s == null ? "" : s.getConsecutiveFailures(),
          s == null ? "" : s.getSigningSecretName());
    }
  }
}
