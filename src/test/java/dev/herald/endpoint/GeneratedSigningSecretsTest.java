package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.SigningAlgorithm;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which Secrets count as Herald's own for an endpoint: only its uid label says so, never a name or
 * the other labels.
 */
class GeneratedSigningSecretsTest {
  private final WebhookEndpoint endpoint = endpoint("billing", "uid-1");

  @Test
  void onlyTheEndpointsUidLabelMakesASecretGeneratedForIt() {
    assertThat(
            GeneratedSigningSecrets.generatedFor(
                secret(Map.of(Herald.LABEL_ENDPOINT_UID, "uid-1")), endpoint))
        .isTrue();
    assertThat(
            GeneratedSigningSecrets.generatedFor(
                secret(Map.of(Herald.LABEL_ENDPOINT_UID, "uid-2")), endpoint))
        .as("generated for an earlier endpoint of the same name")
        .isFalse();
    assertThat(
            GeneratedSigningSecrets.generatedFor(
                secret(
                    Map.of(
                        Herald.LABEL_ENDPOINT,
                        "billing",
                        Herald.LABEL_MANAGED_BY,
                        Herald.MANAGED_BY)),
                endpoint))
        .as("looks like Herald's, without the uid")
        .isFalse();
    assertThat(GeneratedSigningSecrets.generatedFor(secret(null), endpoint)).isFalse();
    assertThat(
            GeneratedSigningSecrets.generatedFor(
                secret(Map.of(Herald.LABEL_ENDPOINT_UID, "uid-1")), endpoint("billing", null)))
        .isFalse();
  }

  @Test
  void theGeneratedNameIsTheEndpointsAndChangesWithTheRotationValue() {
    String first = GeneratedSigningSecrets.generatedName(endpoint, null);
    assertThat(first).matches("billing-signing-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(GeneratedSigningSecrets.generatedName(endpoint, "r1"))
        .isNotEqualTo(first)
        .startsWith("billing-signing-");
    assertThat(GeneratedSigningSecrets.generatedName(endpoint("billing", "uid-2"), null))
        .isNotEqualTo(first);
  }

  @Test
  void hmacNamesAreUnchangedAndEachAlgorithmSwitchGetsANameOfItsOwn() {
    String hmac = GeneratedSigningSecrets.generatedName(endpoint, null);
    assertThat(
            GeneratedSigningSecrets.generatedName(
                endpoint, null, SigningAlgorithm.HMAC_SHA256, null))
        .as("existing endpoints keep their generated names")
        .isEqualTo(hmac);
    String ed =
        GeneratedSigningSecrets.generatedName(endpoint, null, SigningAlgorithm.ED25519, null);
    String intoEd =
        GeneratedSigningSecrets.generatedName(endpoint, null, SigningAlgorithm.ED25519, hmac);
    String backToHmac =
        GeneratedSigningSecrets.generatedName(endpoint, null, SigningAlgorithm.HMAC_SHA256, intoEd);
    // back and forth never lands on the name of a key that may still sign as a retired one
    assertThat(List.of(hmac, ed, intoEd, backToHmac)).doesNotHaveDuplicates();
    assertThat(
            GeneratedSigningSecrets.generatedName(endpoint, null, SigningAlgorithm.ED25519, hmac))
        .as("a repeated reconcile of the same switch finds the same Secret")
        .isEqualTo(intoEd);
  }

  private static WebhookEndpoint endpoint(String name, String uid) {
    WebhookEndpoint e = new WebhookEndpoint();
    e.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid(uid).build());
    return e;
  }

  private static Secret secret(Map<String, String> labels) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("billing-signing-abcde")
        .withLabels(labels)
        .endMetadata()
        .build();
  }
}
