package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ReplayTest extends OperatorTestBase {

  @Test
  void replaySendsTheSamePayloadAndIdAgainAndKeepsTheLog() {
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s"));
    create(delivery(ns, "once", "billing", "{\"order\": 7}"));
    awaitPhase("once", DeliveryPhase.Succeeded);

    annotateDelivery("once", Herald.ANNOTATION_REPLAY, "1");
    await().atMost(WAIT).until(() -> receiver.received().size() == 2);
    WebhookDelivery d = awaitPhase("once", DeliveryPhase.Succeeded);
    await()
        .atMost(WAIT)
        .until(() -> herald.delivery(ns, "once").getStatus().getAttemptLog().size() == 2);
    d = herald.delivery(ns, "once");
    var first = receiver.received().get(0);
    var second = receiver.received().get(1);
    assertThat(second.header("webhook-id"))
        .isEqualTo(first.header("webhook-id"))
        .isEqualTo(d.getMetadata().getUid());
    assertThat(second.bodyText()).isEqualTo(first.bodyText());
    assertThat(d.getStatus().getAttempts()).isEqualTo(1);
    assertThat(d.getStatus().getObservedReplay()).isEqualTo("1");

    // later edits wake the reconciler, but a replay value already acted on does not send again
    annotateDelivery("once", "unrelated", "edit");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> receiver.received().size() == 2);
  }

  @Test
  void bulkReplayByLabelSelectorRedrivesExhaustedDeliveries() {
    receiver.thenRespond(Response.of(410), Response.of(410), Response.of(410));
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s"));
    for (int i = 0; i < 3; i++) {
      create(delivery(ns, "ex-" + i, "billing", "{\"i\": " + i + "}"));
    }
    for (int i = 0; i < 3; i++) {
      awaitPhase("ex-" + i, DeliveryPhase.Exhausted);
    }
    Set<String> firstIds =
        receiver.received().stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());

    // labels follow the status write: wait until the selector sees all three
    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                        .resources(WebhookDelivery.class)
                        .inNamespace(ns)
                        .withLabel(Herald.LABEL_PHASE, "Exhausted")
                        .list()
                        .getItems()
                        .size()
                    == 3);
    // what `kubectl annotate whd -l herald.dev/phase=Exhausted herald.dev/replay=... --overwrite`
    // does
    client
        .resources(WebhookDelivery.class)
        .inNamespace(ns)
        .withLabel(Herald.LABEL_PHASE, "Exhausted")
        .resources()
        .forEach(
            r ->
                r.edit(
                    d -> {
                      d.getMetadata()
                          .setAnnotations(
                              new java.util.HashMap<>(
                                  java.util.Map.of(Herald.ANNOTATION_REPLAY, "bulk-1")));
                      return d;
                    }));

    for (int i = 0; i < 3; i++) {
      WebhookDelivery d = awaitPhase("ex-" + i, DeliveryPhase.Succeeded);
      assertThat(d.getStatus().getAttemptLog()).hasSize(2);
    }
    Set<String> replayedIds =
        receiver.received().subList(3, 6).stream()
            .map(r -> r.header("webhook-id"))
            .collect(Collectors.toSet());
    assertThat(replayedIds).hasSize(3).isEqualTo(firstIds);
  }
}
