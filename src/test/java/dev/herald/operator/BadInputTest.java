package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.SecretKeyRef;
import dev.herald.api.v1alpha1.SigningSpec;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.signing.SecretGenerator;
import dev.herald.testing.OperatorHarness;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input gets a condition and an Event; nothing crashes and nothing is lost. */
@EnableKubernetesMockClient(crud = true)
class BadInputTest extends OperatorTestBase {

  @Test
  void aDeliveryWaitsForItsEndpointToAppear() {
    create(delivery(ns, "early", "later", "{}"));
    awaitDeliveryReason("early", "EndpointNotFound");
    var d = herald.delivery(ns, "early");
    assertThat(d.getStatus().getPhase()).isEqualTo(DeliveryPhase.Pending);
    assertThat(d.getStatus().getConditions().get(0).getMessage())
        .contains("later")
        .contains("does not exist");
    // the Event is written just after the status
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(herald.events(ns, "early"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("EndpointNotFound");
                          assertThat(e.getType()).isEqualTo("Warning");
                        }));

    create(endpoint(ns, "later", receiver.url("/hook"), "1s"));
    awaitPhase("early", DeliveryPhase.Succeeded);
  }

  @Test
  void aMissingSecretRefIsReportedAndDeliveryResumesWhenItAppears() throws Exception {
    WebhookEndpoint e = endpoint(ns, "own-key", receiver.url("/hook"), "1s");
    SigningSpec signing = new SigningSpec();
    signing.setSecretRef(new SecretKeyRef("team-secret", "signing"));
    e.getSpec().setSigning(signing);
    create(e);
    create(delivery(ns, "waits", "own-key", "{\"a\": 1}"));

    awaitEndpointReason("own-key", "SecretNotFound");
    awaitDeliveryReason("waits", "SecretNotFound");
    assertThat(herald.events(ns, "own-key"))
        .anySatisfy(ev -> assertThat(ev.getReason()).isEqualTo("SecretNotFound"));
    assertThat(herald.events(ns, "waits"))
        .anySatisfy(ev -> assertThat(ev.getReason()).isEqualTo("SecretNotFound"));
    assertThat(herald.delivery(ns, "waits").getStatus().getPhase())
        .isEqualTo(DeliveryPhase.Pending);
    assertThat(receiver.received()).isEmpty();

    String key = SecretGenerator.generate();
    userSecret("team-secret", "signing", key);
    awaitPhase("waits", DeliveryPhase.Succeeded);
    var r = receiver.received().get(0);
    new Webhook(key).verify(r.bodyText(), r.httpHeaders());
    awaitEndpointReason("own-key", "Ready");
  }

  @Test
  void anUnusableSecretIsReportedWithoutRevealingIt() {
    String notAKey = "hunter2-not-a-whsec-value";
    userSecret("bad-secret", "secret", notAKey);
    WebhookEndpoint e = endpoint(ns, "bad-key", receiver.url("/hook"), "1s");
    SigningSpec signing = new SigningSpec();
    signing.setSecretRef(new SecretKeyRef("bad-secret", null));
    e.getSpec().setSigning(signing);
    create(e);
    awaitEndpointReason("bad-key", "SecretInvalid");
    String json = client.getKubernetesSerialization().asJson(herald.endpoint(ns, "bad-key"));
    assertThat(json).doesNotContain(notAKey);
    assertThat(herald.events(ns, "bad-key"))
        .allSatisfy(ev -> assertThat(ev.getMessage()).doesNotContain(notAKey));
  }

  /**
   * A Secret that nobody marked for Herald gives the same reason and message as one that does not
   * exist, whatever it holds (a valid key, or not the key asked for): naming a Secret in secretRef
   * tells its author nothing about it, and Herald never signs with it.
   */
  @Test
  void anUnmarkedSecretIsAnsweredExactlyLikeAMissingOne() {
    String missing = OperatorHarness.freshNamespace();
    String unmarkedValid = OperatorHarness.freshNamespace();
    String unmarkedOtherKey = OperatorHarness.freshNamespace();
    unmarkedSecret(unmarkedValid, "team-key", "secret", SecretGenerator.generate());
    unmarkedSecret(unmarkedOtherKey, "team-key", "password", "hunter2-not-a-whsec-value");
    List<String> namespaces = List.of(missing, unmarkedValid, unmarkedOtherKey);
    for (String namespace : namespaces) {
      WebhookEndpoint e = endpoint(namespace, "own-key", receiver.url("/hook"), "1s");
      SigningSpec signing = new SigningSpec();
      signing.setSecretRef(new SecretKeyRef("team-key", null));
      e.getSpec().setSigning(signing);
      create(e);
      create(delivery(namespace, "waits", "own-key", "{}"));
    }
    Map<String, List<String>> answers = new java.util.HashMap<>();
    for (String namespace : namespaces) {
      await()
          .atMost(WAIT)
          .until(
              () -> {
                var e = herald.endpoint(namespace, "own-key");
                var d = herald.delivery(namespace, "waits");
                return e != null
                    && "SecretNotFound".equals(readyReason(e))
                    && d != null
                    && "SecretNotFound".equals(readyReason(d))
                    && herald.events(namespace, "own-key").size() == 1;
              });
      var condition = herald.endpoint(namespace, "own-key").getStatus().getConditions().get(0);
      var event = herald.events(namespace, "own-key").get(0);
      var deliveryCondition =
          herald.delivery(namespace, "waits").getStatus().getConditions().get(0);
      answers.put(
          namespace,
          List.of(
              condition.getReason(),
              condition.getMessage(),
              event.getReason(),
              event.getMessage(),
              deliveryCondition.getReason(),
              deliveryCondition.getMessage()));
    }
    assertThat(answers.get(unmarkedValid)).isEqualTo(answers.get(missing));
    assertThat(answers.get(unmarkedOtherKey)).isEqualTo(answers.get(missing));
    assertThat(answers.get(missing).get(1)).contains("team-key").contains("herald.dev/usable=true");
    assertThat(receiver.received()).as("never signed with an unmarked Secret").isEmpty();

    // whoever can write the Secret marks it: then it is used
    client
        .secrets()
        .inNamespace(unmarkedValid)
        .withName("team-key")
        .edit(
            x -> {
              x.getMetadata().setLabels(Map.of(Herald.LABEL_USABLE, Herald.USABLE));
              return x;
            });
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var d = herald.delivery(unmarkedValid, "waits");
              return d.getStatus() != null && d.getStatus().getPhase() == DeliveryPhase.Succeeded;
            });
  }

  @Test
  void anInvalidEndpointIsReportedAndOtherDeliveriesGoOn() {
    // the CRD schema rejects these at apply time; the mock server (or an old CRD) lets them through
    WebhookEndpoint bad = endpoint(ns, "bad", receiver.url("/hook"), "1s");
    bad.getSpec().setTimeout("soon");
    create(bad);
    WebhookEndpoint reserved = endpoint(ns, "reserved", receiver.url("/hook"), "1s");
    reserved.getSpec().setHeaders(Map.of("webhook-signature", "v1,forged", "X-Team", "billing"));
    create(reserved);
    create(endpoint(ns, "good", receiver.url("/good"), "1s"));
    create(delivery(ns, "to-bad", "bad", "{}"));
    create(delivery(ns, "to-reserved", "reserved", "{}"));
    create(delivery(ns, "to-good", "good", "{}"));

    awaitEndpointReason("bad", "InvalidSpec");
    awaitEndpointReason("reserved", "InvalidSpec");
    awaitDeliveryReason("to-bad", "InvalidEndpoint");
    awaitDeliveryReason("to-reserved", "InvalidEndpoint");
    assertThat(herald.endpoint(ns, "bad").getStatus().getConditions().get(0).getMessage())
        .contains("spec.timeout")
        .contains("soon");
    assertThat(herald.endpoint(ns, "reserved").getStatus().getConditions().get(0).getMessage())
        .contains("webhook-signature");
    assertThat(herald.events(ns, "bad"))
        .anySatisfy(ev -> assertThat(ev.getReason()).isEqualTo("InvalidSpec"));
    awaitPhase("to-good", DeliveryPhase.Succeeded);
    assertThat(receiver.received())
        .singleElement()
        .satisfies(r -> assertThat(r.path()).isEqualTo("/good"));

    // fixing the spec lets the held delivery go
    editEndpoint(
        "bad",
        x -> {
          x.getSpec().setTimeout("5s");
          return x;
        });
    awaitPhase("to-bad", DeliveryPhase.Succeeded);
  }

  @Test
  void aDeliveryOfAnUnsubscribedTypeIsHeldUntilTheFilterAllowsIt() {
    WebhookEndpoint e = endpoint(ns, "invoices-only", receiver.url("/hook"), "1s");
    e.getSpec().setEventTypes(java.util.List.of("invoice.*"));
    create(e);
    create(delivery(ns, "an-order", "invoices-only", "{}"));
    awaitDeliveryReason("an-order", "EventTypeNotSubscribed");
    assertThat(herald.delivery(ns, "an-order").getStatus().getPhase())
        .isEqualTo(DeliveryPhase.Pending);
    assertThat(receiver.received()).isEmpty();

    editEndpoint(
        "invoices-only",
        x -> {
          x.getSpec().setEventTypes(java.util.List.of("invoice.*", "order.*"));
          return x;
        });
    awaitPhase("an-order", DeliveryPhase.Succeeded);
  }

  /**
   * Stored past the schema (an older CRD, or the mock server): held as InvalidSpec, never sent as a
   * broken header.
   */
  @Test
  void aDeliveryWhoseValuesCannotBeHeadersIsInvalidSpecAndNeverSent() {
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s"));
    var crlf = delivery(ns, "crlf", "billing", "{}");
    crlf.getSpec().setEventType("order.created\r\nX-Injected: 1");
    create(crlf);
    var umlaut = delivery(ns, "umlaut", "billing", "{}");
    umlaut.getSpec().setDeliveryId("lieferung-\u00e4");
    create(umlaut);
    var otherNamespace = delivery(ns, "slash", "other/ep", "{}");
    create(otherNamespace);
    create(delivery(ns, "fine", "billing", "{}"));

    awaitDeliveryReason("crlf", "InvalidSpec");
    awaitDeliveryReason("umlaut", "InvalidSpec");
    awaitDeliveryReason("slash", "InvalidSpec");
    assertThat(herald.delivery(ns, "crlf").getStatus().getConditions().get(0).getMessage())
        .contains("spec.eventType");
    assertThat(herald.delivery(ns, "umlaut").getStatus().getConditions().get(0).getMessage())
        .contains("spec.deliveryId");
    assertThat(herald.delivery(ns, "slash").getStatus().getConditions().get(0).getMessage())
        .contains("spec.endpointRef.name");
    assertThat(herald.delivery(ns, "slash").getMetadata().getLabels())
        .doesNotContainKey(dev.herald.api.Herald.LABEL_ENDPOINT);
    assertThat(herald.events(ns, "crlf"))
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("InvalidSpec");
              assertThat(e.getType()).isEqualTo("Warning");
            });
    awaitPhase("fine", DeliveryPhase.Succeeded);
    assertThat(herald.delivery(ns, "crlf").getStatus().getAttempts()).isZero();
    assertThat(receiver.received()).singleElement();
  }

  @Test
  void anEndpointWithAHeaderThatCannotBeSentIsInvalidSpecNotSilentlyTrimmed() {
    WebhookEndpoint e = endpoint(ns, "crlf-header", receiver.url("/hook"), "1s");
    e.getSpec().setHeaders(Map.of("X-Token", "abc\r\nX-Injected: 1", "X-Team", "billing"));
    create(e);
    create(delivery(ns, "held", "crlf-header", "{}"));
    awaitEndpointReason("crlf-header", "InvalidSpec");
    awaitDeliveryReason("held", "InvalidEndpoint");
    assertThat(herald.endpoint(ns, "crlf-header").getStatus().getConditions().get(0).getMessage())
        .contains("spec.headers")
        .contains("X-Token")
        .doesNotContain("abc");
    assertThat(receiver.received()).isEmpty();
  }
}
