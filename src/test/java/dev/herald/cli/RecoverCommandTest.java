package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.kube.client.KubeApiClient;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.testing.Resources;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code herald recover} against a mock API server: what it selects, sets and reports. */
@EnableKubernetesMockClient(crud = true)
class RecoverCommandTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  KubernetesClient client;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** The mock server stamps creationTimestamp itself, so the times here are last attempts. */
  private void delivery(
      String namespace, String name, DeliveryPhase phase, String lastAttempt, String replay) {
    WebhookDelivery d = Resources.delivery(namespace, name, "billing", "{\"n\": 1}");
    if (replay != null) {
      d.getMetadata().setAnnotations(Map.of(Herald.ANNOTATION_REPLAY, replay));
    }
    WebhookDeliveryStatus status = new WebhookDeliveryStatus();
    status.setPhase(phase);
    status.setLastAttemptTime(lastAttempt);
    d.setStatus(status);
    client.resource(d).create();
  }

  @BeforeEach
  void deliveries() {
    delivery("shop", "before", DeliveryPhase.Exhausted, "2026-12-02T08:59:00Z", null);
    delivery("shop", "during-1", DeliveryPhase.Exhausted, "2026-12-02T09:10:00Z", null);
    delivery("shop", "during-2", DeliveryPhase.Exhausted, "2026-12-02T09:50:00Z", null);
    delivery("shop", "during-ok", DeliveryPhase.Succeeded, "2026-12-02T09:20:00Z", null);
    delivery("shop", "during-replaying", DeliveryPhase.Exhausted, "2026-12-02T09:30:00Z", "x");
    delivery("other", "elsewhere", DeliveryPhase.Exhausted, "2026-12-02T09:30:00Z", null);
  }

  private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  private int run(String... args) {
    RecoverCommand command =
        new RecoverCommand(
            clock,
            qps ->
                KubeApiClient.build(
                    client.getConfiguration(),
                    qps,
                    1,
                    new HeraldMetrics(new SimpleMeterRegistry())));
    return new CommandLine(command)
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute(args);
  }

  private String replay(String namespace, String name) {
    WebhookDelivery d =
        client.resources(WebhookDelivery.class).inNamespace(namespace).withName(name).get();
    return d.getMetadata().getAnnotations() == null
        ? null
        : d.getMetadata().getAnnotations().get(Herald.ANNOTATION_REPLAY);
  }

  @Test
  void replaysTheExhaustedDeliveriesOfTheRangeOnly() {
    int exit =
        run(
            "-n",
            "shop",
            "--by",
            "last-attempt",
            "--since",
            "2026-12-02T09:00:00Z",
            "--until",
            "2h",
            "--progress",
            "always");

    assertThat(exit).as(err.toString()).isZero();
    String value = "recover-" + NOW.getEpochSecond();
    assertThat(replay("shop", "during-1")).isEqualTo(value);
    assertThat(replay("shop", "during-2")).isEqualTo(value);
    assertThat(replay("shop", "before")).as("before --since").isNull();
    assertThat(replay("shop", "during-ok")).as("not Exhausted").isNull();
    assertThat(replay("shop", "during-replaying")).as("its pending replay is kept").isEqualTo("x");
    assertThat(replay("other", "elsewhere")).as("another namespace").isNull();
    assertThat(out.toString())
        .contains("matched 3 deliveries in namespace shop")
        .contains("replayed 2, already replaying 1, gone 0, failed 0");
    assertThat(err.toString()).contains("3/3 100%");
  }

  @Test
  void dryRunListsAndChangesNothing() {
    int exit =
        run(
            "-A",
            "--by",
            "last-attempt",
            "--since",
            "2026-12-02T09:00:00Z",
            "--phase",
            "exhausted,succeeded",
            "--dry-run");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("during-1", "during-2", "during-ok", "during-replaying (replaying)", "elsewhere")
        .doesNotContain("before ")
        .contains("would replay 5 deliveries in all namespaces");
    assertThat(replay("shop", "during-1")).isNull();
  }

  @Test
  void lastAttemptBoundsTheTimeOfTheLastAttempt() {
    int exit =
        run(
            "-n",
            "shop",
            "--by",
            "last-attempt",
            "--until",
            "2026-12-02T09:00:00Z",
            "--replay-value",
            "r1");

    assertThat(exit).isZero();
    assertThat(replay("shop", "before")).isEqualTo("r1");
    assertThat(replay("shop", "during-1")).isNull();
  }

  @Test
  void byDefaultTheCreationTimeIsBounded() {
    clock = Clock.systemUTC(); // the mock server stamps creationTimestamp with the real time
    assertThat(run("-n", "shop", "--until", "10m", "--replay-value", "old")).isZero();
    assertThat(replay("shop", "during-1")).isNull();
    assertThat(run("-n", "shop", "--since", "10m", "--replay-value", "new")).isZero();
    assertThat(replay("shop", "during-1")).isEqualTo("new");
    assertThat(replay("shop", "before")).isEqualTo("new");
  }

  @Test
  void badArgumentsAreUsageErrorsNamingTheRule() {
    assertThat(run("-n", "shop", "--phase", "Cancelled")).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains("Cancelled cannot be recovered");
    assertThat(run("-n", "shop", "--since", "yesterday")).isEqualTo(2);
    assertThat(err.toString()).contains("'yesterday' is not a time");
    assertThat(run("-n", "shop", "-A")).isEqualTo(2);
    assertThat(run("-n", "shop", "--by", "finished")).isEqualTo(2);
    assertThat(replay("shop", "during-1")).isNull();
  }
}
