package dev.herald.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** helm/herald lints, and renders what the operator needs for each combination of values. */
class HelmChartTest {
  private static final String NS = RenderedChart.RELEASE_NAMESPACE;

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void appVersionIsTheProjectVersion() throws IOException {
    String chart = Files.readString(RenderedChart.CHART.resolve("Chart.yaml"));
    Matcher app = Pattern.compile("(?m)^appVersion:\\s*\"?([^\"\\s]+)\"?").matcher(chart);
    Matcher pom =
        Pattern.compile("<artifactId>herald</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(app.find()).isTrue();
    assertThat(pom.find()).isTrue();
    assertThat(app.group(1)).isEqualTo(pom.group(1).replace("-SNAPSHOT", ""));
  }

  @Test
  void defaultsRunOneRestrictedReplicaWatchingEveryNamespace() {
    RenderedChart chart = RenderedChart.render();
    Deployment deployment = chart.one(Deployment.class);
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType())
        .as("without leader election an old and a new pod must never run together")
        .isEqualTo("Recreate");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertRestricted(pod);
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L);
    assertThat(pod.getServiceAccountName())
        .isEqualTo(chart.one(ServiceAccount.class).getMetadata().getName());

    Container operator = pod.getContainers().get(0);
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(operator.getImage()).isEqualTo("ghcr.io/herald-dev/herald:0.1.0");
    assertThat(operator.getArgs()).containsExactly("run");
    assertThat(env(operator))
        .containsEntry("HERALD_RECONCILE_THREADS", "50")
        .containsEntry("HERALD_HEALTH_PORT", "8080")
        .containsEntry("HERALD_ALLOW_PLAIN_HTTP", "false")
        .containsEntry("HERALD_LOG_FORMAT", "json")
        .containsEntry("HERALD_MAX_IN_FLIGHT_PER_ENDPOINT", "10")
        .containsEntry("HERALD_MAX_IN_FLIGHT", "500")
        .containsEntry("HERALD_KUBE_API_QPS", "200")
        .containsEntry("HERALD_KUBE_API_BURST", "400")
        .containsEntry("HERALD_KUBE_API_MAX_IN_FLIGHT", "4")
        .containsEntry("HERALD_FINISHED_PER_NAMESPACE", "1000")
        .containsEntry("HERALD_FINISHED_PER_CLUSTER", "8000")
        .containsEntry("HERALD_EVENT_TTL_AFTER_FINISHED", "168h")
        .doesNotContainKey("HERALD_LABEL_SELECTOR")
        .doesNotContainKeys("HERALD_EGRESS_ALLOW", "HERALD_EGRESS_DENY")
        .containsEntry(
            "JAVA_TOOL_OPTIONS",
            "-XX:+UseSerialGC -XX:MaxRAMPercentage=50.0 -XX:ReservedCodeCacheSize=64m")
        // unset, not empty: the operator then watches every namespace
        .doesNotContainKey("HERALD_NAMESPACES")
        .doesNotContainKey("HERALD_LEADER_ELECTION_NAMESPACE");
    assertThat(operator.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("health");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertProbe(operator.getLivenessProbe(), "/healthz");
    assertProbe(operator.getStartupProbe(), "/healthz");
    assertProbe(operator.getReadinessProbe(), "/readyz");
    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(operator.getResources().getLimits()).containsKey("memory");

    assertThat(chart.all(ClusterRole.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("herald");
    assertThat(chart.one(ClusterRoleBinding.class).getRoleRef().getName()).isEqualTo("herald");
    assertThat(chart.all(Role.class)).as("no Lease Role without leader election").isEmpty();
    assertThat(chart.all(RoleBinding.class)).isEmpty();
  }

  @Test
  void overridesWatchNamespacesWithRolesAndTwoReplicasWithLeaderElection() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                "watchNamespaces",
                List.of("a", "b"),
                "replicaCount",
                2,
                "image",
                Map.of("tag", "1.2.3"),
                "reconcileThreads",
                8,
                "labelSelector",
                "shard in (a,b)",
                "kubeApi",
                Map.of("qps", 12.5, "burst", 25, "maxInFlight", 8),
                "retention",
                Map.of(
                    "finishedPerNamespace",
                    20,
                    "finishedPerCluster",
                    0,
                    "eventTtlAfterFinished",
                    "1h"),
                "allowPlainHttp",
                true,
                "egress",
                Map.of(
                    "allow",
                    List.of("*.svc.cluster.local", "10.20.0.0/16"),
                    "deny",
                    List.of("10.96.0.0/12"))));
    Deployment deployment = chart.one(Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertRestricted(deployment.getSpec().getTemplate().getSpec());
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getImage()).isEqualTo("ghcr.io/herald-dev/herald:1.2.3");
    assertThat(env(operator))
        .containsEntry("HERALD_NAMESPACES", "a,b")
        .containsEntry("HERALD_LEADER_ELECTION_NAMESPACE", NS)
        .containsEntry("HERALD_RECONCILE_THREADS", "8")
        .containsEntry("HERALD_LABEL_SELECTOR", "shard in (a,b)")
        .containsEntry("HERALD_KUBE_API_QPS", "12.5")
        .containsEntry("HERALD_KUBE_API_BURST", "25")
        .containsEntry("HERALD_KUBE_API_MAX_IN_FLIGHT", "8")
        .containsEntry("HERALD_FINISHED_PER_NAMESPACE", "20")
        .containsEntry("HERALD_FINISHED_PER_CLUSTER", "0")
        .containsEntry("HERALD_EVENT_TTL_AFTER_FINISHED", "1h")
        .containsEntry("HERALD_ALLOW_PLAIN_HTTP", "true")
        .containsEntry("HERALD_EGRESS_ALLOW", "*.svc.cluster.local,10.20.0.0/16")
        .containsEntry("HERALD_EGRESS_DENY", "10.96.0.0/12");

    assertThat(chart.all(ClusterRole.class))
        .as("no cluster-wide rights when namespaces are listed")
        .isEmpty();
    assertThat(chart.all(ClusterRoleBinding.class)).isEmpty();
    assertThat(chart.all(Role.class))
        .extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactlyInAnyOrder("a/herald", "b/herald", NS + "/herald-leader-election");
    assertThat(chart.all(RoleBinding.class))
        .extracting(r -> r.getMetadata().getNamespace() + "/" + r.getRoleRef().getName())
        .containsExactlyInAnyOrder("a/herald", "b/herald", NS + "/herald-leader-election");
    assertThat(chart.all(RoleBinding.class))
        .allSatisfy(
            b ->
                assertThat(b.getSubjects())
                    .singleElement()
                    .satisfies(
                        s -> {
                          assertThat(s.getKind()).isEqualTo("ServiceAccount");
                          assertThat(s.getName()).isEqualTo("herald");
                          assertThat(s.getNamespace()).isEqualTo(NS);
                        }));

    // the per-namespace Roles hold exactly the ClusterRole's rules
    List<PolicyRule> clusterRules = RenderedChart.render().one(ClusterRole.class).getRules();
    assertThat(chart.named(Role.class, "a", "herald").orElseThrow().getRules())
        .isEqualTo(clusterRules);
    assertThat(chart.named(Role.class, "b", "herald").orElseThrow().getRules())
        .isEqualTo(clusterRules);
    Role lease = chart.named(Role.class, NS, "herald-leader-election").orElseThrow();
    assertThat(lease.getRules())
        .allSatisfy(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("coordination.k8s.io");
              assertThat(r.getResources()).containsExactly("leases");
            });
  }

  @Test
  void metricsServiceAlwaysAndPrometheusObjectsOnRequest() {
    RenderedChart defaults = RenderedChart.render(Map.of());
    io.fabric8.kubernetes.api.model.Service service =
        defaults.one(io.fabric8.kubernetes.api.model.Service.class);
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("health"));
    assertThat(defaults.objects)
        .noneMatch(
            o -> o.getKind().equals("ServiceMonitor") || o.getKind().equals("PrometheusRule"));

    RenderedChart monitored =
        RenderedChart.render(
            Map.of(
                "metrics",
                Map.of(
                    "serviceMonitor",
                    Map.of("enabled", true),
                    "prometheusRule",
                    Map.of("enabled", true, "endpointFailingFor", "2h"))));
    var serviceMonitor =
        monitored.objects.stream()
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .findFirst()
            .orElseThrow();
    assertThat(monitored.yaml).contains("path: /metrics");
    assertThat(monitored.objects).anyMatch(o -> o.getKind().equals("PrometheusRule"));
    assertThat(monitored.yaml)
        .contains("herald_endpoint_consecutive_failures > 0")
        .contains("for: 2h")
        .contains("increase(herald_deliveries_exhausted_total[1h]) > 0")
        .contains("{{ $labels.endpoint }}");
    assertThat(serviceMonitor.getMetadata().getNamespace()).isEqualTo(NS);
  }

  @Test
  void theGrafanaDashboardIsAConfigMapTheSidecarFinds() throws Exception {
    assertThat(RenderedChart.render().objects)
        .noneMatch(o -> o.getMetadata().getName().endsWith("-dashboard"));

    ConfigMap byDefault =
        dashboard(
            RenderedChart.render(
                Map.of("metrics", Map.of("grafanaDashboard", Map.of("enabled", true)))));
    assertThat(byDefault.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(byDefault.getMetadata().getNamespace()).isEqualTo(NS);
    JsonNode json = new ObjectMapper().readTree(byDefault.getData().get("herald.json"));
    assertThat(json.path("uid").asText()).isEqualTo("herald-overview");
    assertThat(json.path("panels")).hasSizeGreaterThanOrEqualTo(10);
    assertThat(json.findValuesAsText("expr"))
        .anyMatch(e -> e.contains("herald_delivery_attempts_total"))
        .anyMatch(e -> e.contains("herald_kube_api_throttled_seconds"))
        .anyMatch(e -> e.contains("jvm_memory_used_bytes"));

    // a sidecar with its own label: null removes the default one, as in any Helm values file
    Map<String, Object> sidecarLabels = new java.util.HashMap<>();
    sidecarLabels.put("grafana_dashboard", null);
    sidecarLabels.put("team-dashboards", "yes");
    ConfigMap placed =
        dashboard(
            RenderedChart.render(
                Map.of(
                    "metrics",
                    Map.of(
                        "grafanaDashboard",
                        Map.of(
                            "enabled",
                            true,
                            "namespace",
                            "monitoring",
                            "labels",
                            sidecarLabels,
                            "annotations",
                            Map.of("grafana_folder", "Herald"))))));
    assertThat(placed.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(placed.getMetadata().getLabels())
        .containsEntry("team-dashboards", "yes")
        .doesNotContainKey("grafana_dashboard");
    assertThat(placed.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Herald");
  }

  /** The dashboard ConfigMap of a rendered chart. */
  static ConfigMap dashboard(RenderedChart chart) {
    return chart.objects.stream()
        .filter(o -> o instanceof ConfigMap && o.getMetadata().getName().endsWith("-dashboard"))
        .map(ConfigMap.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void leaderElectionCanBeAskedForWithOneReplica() {
    RenderedChart chart = RenderedChart.render(Map.of("leaderElection", Map.of("enabled", true)));
    Container operator =
        chart.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(env(operator)).containsEntry("HERALD_LEADER_ELECTION_NAMESPACE", NS);
    assertThat(chart.named(Role.class, NS, "herald-leader-election")).isPresent();
    assertThat(chart.one(Deployment.class).getSpec().getStrategy().getType())
        .isEqualTo("RollingUpdate");
  }

  @Test
  void anExistingServiceAccountAndNoRbac() {
    RenderedChart own =
        RenderedChart.render(Map.of("serviceAccount", Map.of("create", false, "name", "mine")));
    assertThat(own.all(ServiceAccount.class)).isEmpty();
    assertThat(own.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("mine");
    assertThat(own.one(ClusterRoleBinding.class).getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("mine"));

    RenderedChart none =
        RenderedChart.render(Map.of("rbac", Map.of("create", false), "replicaCount", 3));
    assertThat(none.objects)
        .noneMatch(o -> o.getApiVersion().startsWith("rbac.authorization.k8s.io/"));
    assertThat(none.one(Deployment.class)).isNotNull();
  }

  /** Pod Security Standards, "restricted" profile (v1.30), as far as the chart controls it. */
  static void assertRestricted(PodSpec pod) {
    PodSecurityContext podContext = pod.getSecurityContext();
    assertThat(podContext.getRunAsNonRoot()).isTrue();
    assertThat(podContext.getRunAsUser()).isNotNull().isNotZero();
    assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    for (Volume volume : pod.getVolumes()) {
      assertThat(volume.getHostPath()).as("no hostPath volumes").isNull();
    }
    for (Container container : pod.getContainers()) {
      SecurityContext c = container.getSecurityContext();
      assertThat(c.getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getPrivileged()).isNotEqualTo(Boolean.TRUE);
      assertThat(c.getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getRunAsNonRoot()).isTrue();
      assertThat(c.getRunAsUser()).isNotNull().isNotZero();
      assertThat(c.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(c.getCapabilities().getAdd()).isNullOrEmpty();
      assertThat(c.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(container.getPorts()).allSatisfy(p -> assertThat(p.getHostPort()).isNull());
      // a read-only root filesystem needs a writable /tmp (JVM, Netty and Vert.x temporary files)
      String tmpVolume =
          container.getVolumeMounts().stream()
              .filter(m -> m.getMountPath().equals("/tmp"))
              .map(m -> m.getName())
              .findFirst()
              .orElseThrow();
      Optional<Volume> tmp =
          pod.getVolumes().stream().filter(v -> v.getName().equals(tmpVolume)).findFirst();
      assertThat(tmp).hasValueSatisfying(v -> assertThat(v.getEmptyDir()).isNotNull());
    }
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("health");
  }

  @Test
  void theProxyValuesSetTheProxyAndMountItsCredentialsSecret() {
    Container plain =
        RenderedChart.render()
            .one(Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(env(plain)).doesNotContainKeys("HERALD_PROXY", "HERALD_PROXY_CREDENTIALS_DIR");

    Deployment deployment =
        RenderedChart.render(
                Map.of(
                    "proxy",
                    Map.of("url", "http://proxy.infra:3128", "credentialsSecret", "proxy-auth")))
            .one(Deployment.class);
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = pod.getContainers().get(0);
    assertThat(env(operator))
        .containsEntry("HERALD_PROXY", "http://proxy.infra:3128")
        .containsEntry("HERALD_PROXY_CREDENTIALS_DIR", "/etc/herald/proxy-credentials");
    assertThat(operator.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/etc/herald/proxy-credentials");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getSecret().getSecretName()).isEqualTo("proxy-auth");
              assertThat(v.getSecret().getItems())
                  .extracting(i -> i.getKey())
                  .containsExactly("username", "password");
            });
  }

  @Test
  void theTracingValuesSetTheOtlpEndpointAndServiceName() {
    assertThat(env(operator(RenderedChart.render())))
        .as("no tracing by default: no SDK starts")
        .doesNotContainKeys("HERALD_OTLP_ENDPOINT", "OTEL_SERVICE_NAME");

    Container traced =
        operator(
            RenderedChart.render(
                Map.of(
                    "tracing",
                    Map.of(
                        "otlpEndpoint",
                        "http://otel-collector.observability:4318",
                        "serviceName",
                        "herald-eu"))));
    assertThat(env(traced))
        .containsEntry("HERALD_OTLP_ENDPOINT", "http://otel-collector.observability:4318")
        .containsEntry("OTEL_SERVICE_NAME", "herald-eu");
  }

  private static Container operator(RenderedChart chart) {
    return chart.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .collect(
            java.util.stream.Collectors.toMap(
                EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
  }
}
