package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code herald recover --since}: of four Exhausted deliveries, only the two created after the
 * given time are replayed, as the same jar users run, against the real API server's timestamps.
 */
class RecoverE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("recover");

  @BeforeAll
  static void operator() {
    env.startOperator();
  }

  private static String recover(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-jar", E2ESettings.jar().toString(), "recover", "-n", env.ns()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", E2ESettings.kubeconfig().toString());
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void replaysOnlyTheDeliveriesCreatedSinceTheGivenTime() throws Exception {
    TestReceiver receiver =
        env.receiver()
            .thenRespond(Response.of(410), Response.of(410), Response.of(410), Response.of(410));
    env.apply(endpoint("legacy", receiver.url("/legacy"), "1s"));
    for (String name : List.of("early-1", "early-2")) {
      env.apply(delivery(name, "legacy", "{\"name\": \"" + name + "\"}"));
      env.awaitDeliveryPhase(name, "Exhausted");
    }
    // creationTimestamp has whole seconds: the later ones must be created in a later second
    Instant early = Instant.parse(env.jsonpath("whd", "early-2", ".metadata.creationTimestamp"));
    await().until(() -> Instant.now().isAfter(early.plusSeconds(1)));
    for (String name : List.of("late-1", "late-2")) {
      env.apply(delivery(name, "legacy", "{\"name\": \"" + name + "\"}"));
      env.awaitDeliveryPhase(name, "Exhausted");
    }
    String since = env.jsonpath("whd", "late-1", ".metadata.creationTimestamp");
    assertThat(Instant.parse(since)).isAfter(early);

    String dryRun = recover("--since", since, "--dry-run");
    assertThat(dryRun).contains("late-1", "late-2").doesNotContain("early-");
    assertThat(dryRun).contains("would replay 2 deliveries in namespace " + env.ns());
    assertThat(receiver.received()).hasSize(4);

    String done = recover("--since", since, "--progress", "never");
    assertThat(done).contains("matched 2 deliveries").contains("replayed 2, already replaying 0");

    env.awaitDeliveryPhase("late-1", "Succeeded");
    env.awaitDeliveryPhase("late-2", "Succeeded");
    await().atMost(E2EEnvironment.WAIT).until(() -> receiver.received().size() == 6);
    assertThat(receiver.received().subList(4, 6).stream().map(r -> r.header("webhook-id")))
        .containsExactlyInAnyOrder(
            env.jsonpath("whd", "late-1", ".metadata.uid"),
            env.jsonpath("whd", "late-2", ".metadata.uid"));
    assertThat(env.jsonpath("whd", "early-1", ".status.phase")).isEqualTo("Exhausted");
    assertThat(env.jsonpath("whd", "early-2", ".status.phase")).isEqualTo("Exhausted");
  }
}
