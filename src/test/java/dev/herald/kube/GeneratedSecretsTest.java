package dev.herald.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.Herald;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Generated Secrets are created once, under one name: an existing one (anybody's) is answered as it
 * is, never replaced, and no key is minted for it.
 */
@EnableKubernetesMockClient(crud = true)
class GeneratedSecretsTest {
  KubernetesClient client;
  private final ConfigMap owner =
      new ConfigMapBuilder()
          .withNewMetadata()
          .withName("owner")
          .withNamespace("ns")
          .withUid("uid-1")
          .endMetadata()
          .build();

  @Test
  void anAbsentSecretIsCreatedWithAFreshKeyOwnedAndLabelled() {
    GeneratedSecrets.Found found =
        GeneratedSecrets.createIfAbsent(
            client,
            "ns",
            "s",
            () -> GeneratedSecrets.signingSecret(owner, "s", Map.of("herald.dev/x", "uid-1")));
    assertThat(found.created()).isTrue();
    Secret stored = client.secrets().inNamespace("ns").withName("s").get();
    assertThat(stored.getMetadata().getLabels())
        .containsEntry("herald.dev/x", "uid-1")
        .containsEntry(Herald.LABEL_MANAGED_BY, Herald.MANAGED_BY);
    assertThat(stored.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    assertThat(SecretValues.decode(stored).get(Herald.SECRET_KEY)).startsWith("whsec_");
  }

  @Test
  void anExistingSecretIsAnsweredAsItIsAndNoKeyIsMinted() {
    Secret theirs = client.secrets().inNamespace("ns").resource(plain("s", "theirs")).create();
    AtomicInteger minted = new AtomicInteger();
    GeneratedSecrets.Found found =
        GeneratedSecrets.createIfAbsent(
            client,
            "ns",
            "s",
            () -> {
              minted.incrementAndGet();
              return GeneratedSecrets.signingSecret(owner, "s", Map.of());
            });
    assertThat(found.created()).isFalse();
    assertThat(found.secret().getMetadata().getUid()).isEqualTo(theirs.getMetadata().getUid());
    assertThat(minted).hasValue(0);
    assertThat(SecretValues.decode(client.secrets().inNamespace("ns").withName("s").get()))
        .containsEntry("v", "theirs");
  }

  /** Someone creates the name between the read and the create: the 409 answers with theirs. */
  @Test
  void aCreateThatLosesARaceAnswersWithTheWinner() {
    GeneratedSecrets.Found found =
        GeneratedSecrets.createIfAbsent(
            client,
            "ns",
            "s",
            () -> {
              client.secrets().inNamespace("ns").resource(plain("s", "winner")).create();
              return GeneratedSecrets.signingSecret(owner, "s", Map.of());
            });
    assertThat(found.created()).isFalse();
    assertThat(SecretValues.decode(found.secret())).containsEntry("v", "winner");
    assertThat(SecretValues.decode(client.secrets().inNamespace("ns").withName("s").get()))
        .containsEntry("v", "winner");
  }

  private static Secret plain(String name, String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .endMetadata()
        .withStringData(Map.of("v", value))
        .build();
  }
}
