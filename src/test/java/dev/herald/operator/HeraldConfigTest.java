package dev.herald.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.egress.EgressPolicy;
import dev.herald.http.SenderOptions;
import dev.herald.retention.FinishedBudget;
import dev.herald.tracing.TracingSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeraldConfigTest {

  @Test
  void theBuildersDefaultsAreTheCommandLinesDefaults() {
    HeraldConfig config = HeraldConfig.builder().build();
    // recursive: an EgressPolicy has no equals of its own
    assertThat(config)
        .usingRecursiveComparison()
        .isEqualTo(
            new HeraldConfig(
                Set.of(),
                50,
                SenderOptions.defaults(),
                Duration.ofSeconds(30),
                Clock.systemUTC(),
                true,
                null,
                10,
                500,
                HeraldConfig.DEFAULT_KUBE_API_QPS,
                HeraldConfig.DEFAULT_KUBE_API_BURST,
                null,
                Duration.ofSeconds(10),
                Duration.ofMinutes(1),
                FinishedBudget.DEFAULT,
                Duration.ofHours(168),
                false,
                null));
    assertThat(HeraldConfig.defaults()).usingRecursiveComparison().isEqualTo(config);
  }

  @Test
  void everySetterSetsItsComponentAndToBuilderKeepsEveryOther() {
    SenderOptions sender =
        SenderOptions.defaults()
            .withAllowPlainHttp(true)
            .withEgressPolicy(EgressPolicy.builder().allow("127.0.0.1/32").build());
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    TracingSettings tracing = TracingSettings.of("http://127.0.0.1:4318", Map.of()).orElseThrow();
    HeraldConfig config =
        HeraldConfig.builder()
            .namespaces(Set.of("a", "b"))
            .reconcileThreads(3)
            .senderOptions(sender)
            .secretRetry(Duration.ofSeconds(4))
            .clock(clock)
            .closeClientOnStop(false)
            .leaseNamespace("herald-system")
            .maxInFlightPerEndpoint(5)
            .maxInFlight(6)
            .kubeApiQps(7.5)
            .kubeApiBurst(8)
            .labelSelector("shard=a")
            .historySweep(Duration.ofSeconds(9))
            .minDigestInterval(Duration.ofMinutes(10))
            .finishedBudget(new FinishedBudget(11, 12))
            .eventTtlAfterFinished(Duration.ofMinutes(13))
            .crashBeforeEventStatus(true)
            .tracing(tracing)
            .build();
    HeraldConfig expected =
        new HeraldConfig(
            Set.of("a", "b"),
            3,
            sender,
            Duration.ofSeconds(4),
            clock,
            false,
            "herald-system",
            5,
            6,
            7.5,
            8,
            "shard=a",
            Duration.ofSeconds(9),
            Duration.ofMinutes(10),
            new FinishedBudget(11, 12),
            Duration.ofMinutes(13),
            true,
            tracing);
    assertThat(config).isEqualTo(expected);
    assertThat(config.toBuilder().build()).isEqualTo(expected);
    assertThat(config.toBuilder().maxInFlight(1).build())
        .isEqualTo(
            new HeraldConfig(
                Set.of("a", "b"),
                3,
                sender,
                Duration.ofSeconds(4),
                clock,
                false,
                "herald-system",
                5,
                1,
                7.5,
                8,
                "shard=a",
                Duration.ofSeconds(9),
                Duration.ofMinutes(10),
                new FinishedBudget(11, 12),
                Duration.ofMinutes(13),
                true,
                tracing));
  }
}
