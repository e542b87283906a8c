package dev.herald.digest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.SecretKeyRef;
import dev.herald.api.v1alpha1.SigningAlgorithm;
import dev.herald.api.v1alpha1.WebhookDigest;
import dev.herald.api.v1alpha1.WebhookDigestSpec;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

/** Digests sign through the same signer: the key in their Secret decides v1 or v1a. */
@EnableKubernetesMockClient(crud = true)
class DigestSigningTest {
  KubernetesClient client;

  @Test
  void aWhskKeyInTheDigestsSecretSignsWithEd25519() throws Exception {
    String secretKey = SecretGenerator.generate(SigningAlgorithm.ED25519);
    client
        .secrets()
        .inNamespace("ns")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("digest-pair")
                .addToLabels(Herald.LABEL_USABLE, Herald.USABLE)
                .endMetadata()
                .addToStringData(Herald.SECRET_KEY, secretKey)
                .build())
        .create();
    WebhookDigest digest = new WebhookDigest();
    digest.setMetadata(
        new ObjectMetaBuilder().withName("daily").withNamespace("ns").withUid("uid-1").build());
    WebhookDigestSpec spec = new WebhookDigestSpec();
    WebhookDigestSpec.Webhook webhook = new WebhookDigestSpec.Webhook();
    webhook.setUrl("https://example.com/digest");
    webhook.setSecretRef(new SecretKeyRef("digest-pair", null));
    spec.setWebhook(webhook);
    digest.setSpec(spec);

    DigestSigning.Key key = DigestSigning.resolve(client, digest);

    assertThat(key.key().algorithm()).isEqualTo(SigningAlgorithm.ED25519);
    assertThat(key.key().publicKey()).isEqualTo(SigningKey.parse(secretKey).publicKey());
  }
}
