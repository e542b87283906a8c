package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.helm.PromQl;
import dev.herald.helm.RenderedChart;
import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every metric the chart's Grafana dashboard and alerts query is one a running operator exports:
 * the operator is driven through each thing the panels show (success, failure, exhaustion, a
 * pending delivery, an eviction, a wait under a rate limit, more Events than a namespace's budget),
 * then its /metrics is compared with the queries.
 */
class DashboardMetricsE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("dashboard");

  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*\\w+\\)");
  private static final Pattern ALERT_EXPR = Pattern.compile("(?m)^\\s+expr: (.+)$");
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

  @Test
  void everyQueriedMetricIsExported() throws Exception {
    OperatorProcess operator = env.startOperatorWithMetrics();
    TestReceiver ok = env.receiver();
    TestReceiver gone = env.receiver().always(Response.of(410));
    env.apply(endpoint("billing", ok.url("/ok"), "1s", "history: {ttlAfterFinished: 1s}"));
    env.apply(endpoint("legacy", gone.url("/gone"), "1s"));
    env.apply(endpoint("held", ok.url("/held"), "1s", "paused: true"));
    env.apply(delivery("ok-1", "billing", "{}"));
    env.apply(delivery("gone-1", "legacy", "{}"));
    env.apply(delivery("held-1", "held", "{}"));
    // one a second, no burst: the second delivery waits its turn
    env.apply(endpoint("paced", ok.url("/paced"), "1s", "rateLimit: {requests: 1, burst: 1}"));
    env.apply(delivery("paced-1", "paced", "{}"));
    env.apply(delivery("paced-2", "paced", "{}"));
    // more deliveries ending at once than the namespace's budget of Events about deliveries
    env.apply(
        java.util.stream.IntStream.range(0, dev.herald.kube.EventRecorder.BUDGET_BURST + 30)
            .mapToObj(i -> delivery("gone-many-" + i, "legacy", "{}"))
            .collect(java.util.stream.Collectors.joining("---\n")));
    env.awaitDeliveryPhase("gone-1", "Exhausted");
    env.awaitDeliveryPhase("paced-1", "Succeeded");
    env.awaitDeliveryPhase("paced-2", "Succeeded");
    await().atMost(E2EEnvironment.WAIT).until(() -> !env.exists("whd", "ok-1"));

    Set<String> queried = new TreeSet<>();
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                "metrics",
                Map.of(
                    "grafanaDashboard",
                    Map.of("enabled", true),
                    "prometheusRule",
                    Map.of("enabled", true))));
    ConfigMap dashboard =
        chart.objects.stream()
            .filter(o -> o instanceof ConfigMap && o.getMetadata().getName().endsWith("-dashboard"))
            .map(ConfigMap.class::cast)
            .findFirst()
            .orElseThrow();
    var json = new ObjectMapper().readTree(dashboard.getData().get("herald.json"));
    json.findValuesAsText("expr").forEach(e -> queried.addAll(PromQl.metricNames(e)));
    // template variables: label_values(METRIC, LABEL) reads METRIC
    json.path("templating").path("list").findValuesAsText("query").stream()
        .map(q -> LABEL_VALUES.matcher(q))
        .filter(Matcher::matches)
        .forEach(m -> queried.addAll(PromQl.metricNames(m.group(1))));
    // the PrometheusRule's alerts
    Matcher alert = ALERT_EXPR.matcher(chart.yaml);
    while (alert.find()) {
      queried.addAll(PromQl.metricNames(alert.group(1)));
    }
    assertThat(queried)
        .hasSizeGreaterThanOrEqualTo(10)
        .contains(
            "herald_endpoint_consecutive_failures",
            "herald_deliveries_exhausted_total",
            "herald_rate_limited_total",
            "herald_rate_limit_wait_seconds_sum");

    await()
        .atMost(E2EEnvironment.WAIT)
        .untilAsserted(
            () -> {
              Set<String> exported = exported(operator.metrics());
              assertThat(exported).as("exported by the operator").containsAll(queried);
            });
  }

  private static Set<String> exported(String metrics) {
    Set<String> names = new TreeSet<>();
    for (String line : metrics.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!line.startsWith("#") && m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
