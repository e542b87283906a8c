package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
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
