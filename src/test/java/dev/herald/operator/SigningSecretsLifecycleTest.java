package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.SecretKeyRef;
import dev.herald.api.v1alpha1.SigningSpec;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.endpoint.GeneratedSigningSecrets;
import dev.herald.signing.SecretGenerator;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SigningSecretsLifecycleTest extends OperatorTestBase {

  @Test
  void generatesASecretPerEndpointAndSignsWithIt() throws Exception {
    WebhookEndpoint created = create(endpoint(ns, "billing", receiver.url("/hook"), "1s"));
    String secretName = awaitSecretName("billing");
    Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
    assertThat(secretName).startsWith("billing-signing-").hasSize("billing-signing-".length() + 5);
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(Herald.LABEL_ENDPOINT, "billing")
        .containsEntry(Herald.LABEL_ENDPOINT_UID, created.getMetadata().getUid());
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid()));
    String key = secretValue(secretName, Herald.SECRET_KEY);
    assertThat(key).startsWith("whsec_");
    assertThat(java.util.Base64.getDecoder().decode(key.substring(6))).hasSize(32);

    create(delivery(ns, "signed-1", "billing", "{\"greetings\": \"Hello World\"}"));
    awaitPhase("signed-1", DeliveryPhase.Succeeded);
    TestReceiver.Received r = receiver.received().get(0);
    new Webhook(key).verify(r.bodyText(), r.httpHeaders()); // throws when the signature is wrong
  }

  @Test
  void rotationSignsWithBothKeysDuringTheOverlapThenDeletesTheOldSecret() throws Exception {
    WebhookEndpoint e = endpoint(ns, "billing", receiver.url("/hook"), "1s");
    SigningSpec signing = new SigningSpec();
    signing.setRotationOverlap("3s");
    e.getSpec().setSigning(signing);
    create(e);
    String oldName = awaitSecretName("billing");
    String oldKey = secretValue(oldName, Herald.SECRET_KEY);

    editEndpoint(
        "billing",
        x -> {
          x.getMetadata()
              .setAnnotations(
                  new java.util.HashMap<>(
                      java.util.Map.of(Herald.ANNOTATION_ROTATE_SECRET, "2026-11-25")));
          return x;
        });
    await()
        .atMost(WAIT)
        .until(
            () ->
                !oldName.equals(herald.endpoint(ns, "billing").getStatus().getSigningSecretName()));
    String newName = herald.endpoint(ns, "billing").getStatus().getSigningSecretName();
    String newKey = secretValue(newName, Herald.SECRET_KEY);
    assertThat(newKey).startsWith("whsec_").isNotEqualTo(oldKey);
    assertThat(secretValue(oldName, Herald.SECRET_KEY))
        .as("old Secret kept during the overlap")
        .isEqualTo(oldKey);
    assertThat(herald.endpoint(ns, "billing").getStatus().getRetiredSecrets())
        .singleElement()
        .satisfies(r -> assertThat(r.getName()).isEqualTo(oldName));

    create(delivery(ns, "during", "billing", "{\"n\": 1}"));
    awaitPhase("during", DeliveryPhase.Succeeded);
    TestReceiver.Received during = receiver.received().get(0);
    assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
    new Webhook(oldKey).verify(during.bodyText(), during.httpHeaders());
    new Webhook(newKey).verify(during.bodyText(), during.httpHeaders());

    await()
        .atMost(WAIT)
        .until(() -> client.secrets().inNamespace(ns).withName(oldName).get() == null);
    await()
        .atMost(WAIT)
        .until(() -> herald.endpoint(ns, "billing").getStatus().getRetiredSecrets() == null);
    assertThat(herald.events(ns, "billing"))
        .anySatisfy(ev -> assertThat(ev.getReason()).isEqualTo("SecretRotated"));

    create(delivery(ns, "after", "billing", "{\"n\": 2}"));
    awaitPhase("after", DeliveryPhase.Succeeded);
    TestReceiver.Received after = receiver.received().get(1);
    assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
    new Webhook(newKey).verify(after.bodyText(), after.httpHeaders());
    assertThatThrownBy(() -> new Webhook(oldKey).verify(after.bodyText(), after.httpHeaders()));
  }

  @Test
  void deletingTheEndpointDeletesItsSecretsAndCancelsUnfinishedDeliveries() {
    receiver.thenRespond(Response.of(500), Response.of(500));
    create(endpoint(ns, "billing", receiver.url("/hook"), "5s"));
    String oldSecret = awaitSecretName("billing");
    String oldUid = herald.endpoint(ns, "billing").getMetadata().getUid();
    create(delivery(ns, "pending-1", "billing", "{}"));
    create(delivery(ns, "pending-2", "billing", "{}"));
    awaitPhase("pending-1", DeliveryPhase.Failed);
    awaitPhase("pending-2", DeliveryPhase.Failed);

    client.resources(WebhookEndpoint.class).inNamespace(ns).withName("billing").delete();
    awaitPhase("pending-1", DeliveryPhase.Cancelled);
    awaitPhase("pending-2", DeliveryPhase.Cancelled);
    await().atMost(WAIT).until(() -> herald.endpoint(ns, "billing") == null);
    assertThat(client.secrets().inNamespace(ns).withName(oldSecret).get()).isNull();
    assertThat(herald.events(ns, "pending-1"))
        .anySatisfy(ev -> assertThat(ev.getReason()).isEqualTo("Cancelled"));

    // a new endpoint of the same name is a new endpoint: new secret, and no revival
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s"));
    String newSecret = awaitSecretName("billing");
    assertThat(herald.endpoint(ns, "billing").getMetadata().getUid()).isNotEqualTo(oldUid);
    assertThat(newSecret).isNotEqualTo(oldSecret);
    create(delivery(ns, "fresh", "billing", "{}"));
    awaitPhase("fresh", DeliveryPhase.Succeeded);
    // pending-1/2 were due again 5s after their failure; give them time to (wrongly) fire
    await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(8))
        .until(() -> receiver.received().size() == 3);
    for (String name : List.of("pending-1", "pending-2")) {
      WebhookDelivery d = herald.delivery(ns, name);
      assertThat(d.getStatus().getPhase()).isEqualTo(DeliveryPhase.Cancelled);
      assertThat(d.getStatus().getEndpointUid()).isEqualTo(oldUid);
      assertThat(d.getMetadata().getLabels()).containsEntry(Herald.LABEL_PHASE, "Cancelled");
    }
  }

  /**
   * The exploit of issue 10: name any Secret (here one without a key) in secretRef, remove
   * secretRef, rotate. The name must never be recorded as ours, so nothing but Herald's own
   * generated Secret is retired and deleted.
   */
  @Test
  void aSecretRefNameIsNeverRetiredOrDeleted() {
    unmarkedSecret(ns, "db-password", "password", "correct horse battery staple");
    WebhookEndpoint e = endpoint(ns, "billing", receiver.url("/hook"), "1s");
    SigningSpec signing = new SigningSpec();
    signing.setRotationOverlap("1s");
    signing.setSecretRef(new SecretKeyRef("db-password", null));
    e.getSpec().setSigning(signing);
    create(e);
    awaitEndpointReason("billing", "SecretNotFound");
    assertThat(herald.endpoint(ns, "billing").getStatus().getSigningSecretName())
        .as("a user's Secret is not recorded")
        .isNull();

    editEndpoint(
        "billing",
        x -> {
          x.getSpec().getSigning().setSecretRef(null);
          return x;
        });
    String generated = awaitSecretName("billing");
    assertThat(generated).startsWith("billing-signing-");
    rotate("billing", "r1");
    await()
        .atMost(WAIT)
        .until(() -> client.secrets().inNamespace(ns).withName(generated).get() == null);
    await()
        .atMost(WAIT)
        .until(() -> herald.endpoint(ns, "billing").getStatus().getRetiredSecrets() == null);
    assertThat(client.secrets().inNamespace(ns).withName("db-password").get())
        .as("the user's Secret is kept")
        .isNotNull();

    // and deleting the endpoint deletes only what Herald generated
    String last = herald.endpoint(ns, "billing").getStatus().getSigningSecretName();
    client.resources(WebhookEndpoint.class).inNamespace(ns).withName("billing").delete();
    await().atMost(WAIT).until(() -> herald.endpoint(ns, "billing") == null);
    assertThat(client.secrets().inNamespace(ns).withName(last).get()).isNull();
    assertThat(client.secrets().inNamespace(ns).withName("db-password").get()).isNotNull();
  }

  /**
   * The ordinary flow "my own Secret, then a generated one, then rotate" keeps the user's Secret.
   */
  @Test
  void movingFromOwnSecretToGeneratedAndRotatingKeepsTheOwnSecret() throws Exception {
    String userKey = SecretGenerator.generate();
    userSecret("team-key", "secret", userKey);
    WebhookEndpoint e = endpoint(ns, "billing", receiver.url("/hook"), "1s");
    SigningSpec signing = new SigningSpec();
    signing.setRotationOverlap("1s");
    signing.setSecretRef(new SecretKeyRef("team-key", null));
    e.getSpec().setSigning(signing);
    create(e);
    create(delivery(ns, "own", "billing", "{\"n\": 1}"));
    awaitPhase("own", DeliveryPhase.Succeeded);
    TestReceiver.Received own = receiver.received().get(0);
    new Webhook(userKey).verify(own.bodyText(), own.httpHeaders());
    // the delivery needs the endpoint's spec, not its status, so it may succeed first
    await().atMost(WAIT).until(() -> herald.endpoint(ns, "billing").getStatus() != null);
    assertThat(herald.endpoint(ns, "billing").getStatus().getSigningSecretName()).isNull();

    editEndpoint(
        "billing",
        x -> {
          x.getSpec().getSigning().setSecretRef(null);
          return x;
        });
    String generated = awaitSecretName("billing");
    assertThat(generated).startsWith("billing-signing-");
    String generatedKey = secretValue(generated, Herald.SECRET_KEY);
    create(delivery(ns, "generated", "billing", "{\"n\": 2}"));
    awaitPhase("generated", DeliveryPhase.Succeeded);
    TestReceiver.Received second = receiver.received().get(1);
    assertThat(second.header("webhook-signature").split(" "))
        .as("the user's key stopped signing at the switch")
        .hasSize(1);
    new Webhook(generatedKey).verify(second.bodyText(), second.httpHeaders());

    rotate("billing", "r1");
    await()
        .atMost(WAIT)
        .until(() -> client.secrets().inNamespace(ns).withName(generated).get() == null);
    await()
        .atMost(WAIT)
        .until(() -> herald.endpoint(ns, "billing").getStatus().getRetiredSecrets() == null);
    assertThat(secretValue("team-key", "secret"))
        .as("the user's Secret is untouched")
        .isEqualTo(userKey);

    // and back to the user's Secret: the generated keys end at once, the user's Secret signs alone
    String rotated = herald.endpoint(ns, "billing").getStatus().getSigningSecretName();
    editEndpoint(
        "billing",
        x -> {
          x.getSpec().getSigning().setSecretRef(new SecretKeyRef("team-key", null));
          return x;
        });
    await()
        .atMost(WAIT)
        .until(() -> herald.endpoint(ns, "billing").getStatus().getSigningSecretName() == null);
    assertThat(client.secrets().inNamespace(ns).withName(rotated).get()).isNull();
    assertThat(secretValue("team-key", "secret")).isEqualTo(userKey);
  }

  /**
   * A Secret someone created under the name Herald would generate is neither adopted, signed with
   * nor deleted.
   */
  @Test
  void aForeignSecretWithTheGeneratedNameIsNotAdopted() throws Exception {
    WebhookEndpoint e = endpoint(ns, "billing", receiver.url("/hook"), "1s");
    SigningSpec signing = new SigningSpec();
    signing.setRotationOverlap("1s");
    e.getSpec().setSigning(signing);
    create(e);
    String ours = awaitSecretName("billing");
    String ourKey = secretValue(ours, Herald.SECRET_KEY);
    WebhookEndpoint created = herald.endpoint(ns, "billing");
    String squatted = GeneratedSigningSecrets.generatedName(created, "r1");
    String foreignKey = SecretGenerator.generate();
    // it even looks like Herald's: the endpoint label and managed-by, but not the endpoint's uid
    create(
        secret(
            ns,
            squatted,
            Map.of(
                Herald.LABEL_ENDPOINT,
                "billing",
                Herald.LABEL_MANAGED_BY,
                Herald.MANAGED_BY,
                Herald.LABEL_ENDPOINT_UID,
                "someone-else"),
            Herald.SECRET_KEY,
            foreignKey));

    rotate("billing", "r1");
    awaitEndpointReason("billing", "SecretConflict");
    WebhookEndpoint after = herald.endpoint(ns, "billing");
    assertThat(after.getStatus().getSigningSecretName())
        .as("the current key keeps signing")
        .isEqualTo(ours);
    assertThat(after.getStatus().getObservedRotation()).as("the rotation stays pending").isNull();
    assertThat(after.getStatus().getConditions().get(0).getMessage())
        .contains(squatted)
        .contains("not generated by Herald");
    assertThat(herald.events(ns, "billing"))
        .anySatisfy(ev -> assertThat(ev.getReason()).isEqualTo("SecretConflict"));

    create(delivery(ns, "d1", "billing", "{\"n\": 1}"));
    awaitPhase("d1", DeliveryPhase.Succeeded);
    TestReceiver.Received r = receiver.received().get(0);
    assertThat(r.header("webhook-signature").split(" ")).hasSize(1);
    new Webhook(ourKey).verify(r.bodyText(), r.httpHeaders());
    assertThatThrownBy(() -> new Webhook(foreignKey).verify(r.bodyText(), r.httpHeaders()));

    // a status that names it anyway (an older Herald, or a hostile status writer) is not signed
    // with either
    WebhookEndpoint forged = herald.endpoint(ns, "billing");
    forged.getStatus().setSigningSecretName(squatted);
    client.resources(WebhookEndpoint.class).inNamespace(ns).resource(forged).updateStatus();
    Thread.sleep(
        1000); // the deliveries' informer sees the forged status (no status write of Herald's to
    // wait for)
    create(delivery(ns, "d2", "billing", "{\"n\": 2}"));
    awaitDeliveryReason("d2", "SecretConflict");
    assertThat(receiver.received()).hasSize(1);

    client.resources(WebhookEndpoint.class).inNamespace(ns).withName("billing").delete();
    await().atMost(WAIT).until(() -> herald.endpoint(ns, "billing") == null);
    assertThat(secretValue(squatted, Herald.SECRET_KEY))
        .as("the foreign Secret is kept")
        .isEqualTo(foreignKey);
  }

  private void rotate(String endpoint, String value) {
    editEndpoint(
        endpoint,
        x -> {
          x.getMetadata()
              .setAnnotations(
                  new java.util.HashMap<>(
                      java.util.Map.of(Herald.ANNOTATION_ROTATE_SECRET, value)));
          return x;
        });
  }

  private String awaitSecretName(String endpoint) {
    return dev.herald.testing.OperatorHarness.awaitSigningSecret(client, ns, endpoint, WAIT);
  }
}
