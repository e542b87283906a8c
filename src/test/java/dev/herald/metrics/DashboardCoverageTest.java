package dev.herald.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.helm.PromQl;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every metric the operator registers has a panel in the chart's Grafana dashboard: a metric no
 * panel shows is one nobody looks at. (DashboardMetricsE2E checks the other way round, that every
 * metric a panel queries is one a running operator exports.)
 */
class DashboardCoverageTest {
  private static final Path DASHBOARD = Path.of("helm", "herald", "dashboards", "herald.json");
  private static final Path MAIN = Path.of("src", "main", "java");
  private static final Pattern METER_NAME =
      Pattern.compile("\\.builder\\(\\s*\"(herald\\.[^\"]+)\"");

  @Test
  void everyMetricTheOperatorRegistersIsQueriedByAPanel() throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    recordOneOfEach(new HeraldMetrics(registry));
    assertThat(registry.getMeters().stream().map(m -> m.getId().getName()).distinct())
        .as("the meters this test records: one of each the operator's source builds")
        .containsExactlyInAnyOrderElementsOf(meterNamesInSource());

    Set<String> queried = new TreeSet<>();
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    dashboard
        .path("panels")
        .findValuesAsText("expr")
        .forEach(e -> queried.addAll(PromQl.metricNames(e)));
    for (Meter meter : registry.getMeters()) {
      // a timer is shown through its _sum, _count, _bucket or _max series, a counter as _total
      String base = prometheusName(registry, meter);
      assertThat(queried)
          .as("a dashboard panel querying %s (%s)", base, meter.getId().getName())
          .anyMatch(q -> q.equals(base) || q.startsWith(base + "_"));
    }
  }

  /** Each recording method once, so each meter exists (they are registered on first use). */
  private static void recordOneOfEach(HeraldMetrics metrics) {
    metrics.attempt("shop", "billing", null, Duration.ofMillis(20));
    metrics.attempt("shop", "billing", ErrorClass.Http5xx, Duration.ofMillis(20));
    metrics.exhausted("shop", "billing");
    metrics.consecutiveFailures("shop", "billing", 1);
    metrics.pending(
        List.of(new HeraldMetrics.Pending("shop", "billing", 1, Duration.ofSeconds(3))));
    metrics.rateLimited("shop", "billing");
    metrics.rateLimitWait("shop", "billing", Duration.ofSeconds(2));
    metrics.kubeApiRequest("patch", "webhookdeliveries");
    metrics.kubeApiThrottled(Duration.ZERO);
    metrics.evicted("shop", "WebhookDelivery", "ttl");
    metrics.eventDropped("shop", "WebhookDelivery");
    metrics.pickupStage("shop", "total", Duration.ofMillis(5));
  }

  /** The names of every Micrometer meter built in the operator's source. */
  private static Set<String> meterNamesInSource() throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = METER_NAME.matcher(Files.readString(file));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    assertThat(names).as("meters found in %s", MAIN).isNotEmpty();
    return names;
  }

  private static String prometheusName(MeterRegistry registry, Meter meter) {
    Meter.Id id = meter.getId();
    return registry.config().namingConvention().name(id.getName(), id.getType(), id.getBaseUnit());
  }
}
