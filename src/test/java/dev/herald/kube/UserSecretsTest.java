package dev.herald.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.Herald;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserSecretsTest {

  @Test
  void onlyTheExactLabelValueMarksASecretForHerald() {
    assertThat(UserSecrets.isMarked(labelled(Map.of(Herald.LABEL_USABLE, "true")))).isTrue();
    assertThat(UserSecrets.isMarked(labelled(Map.of(Herald.LABEL_USABLE, "True")))).isFalse();
    assertThat(UserSecrets.isMarked(labelled(Map.of(Herald.LABEL_USABLE, "")))).isFalse();
    assertThat(UserSecrets.isMarked(labelled(Map.of("herald.dev/endpoint", "billing")))).isFalse();
    assertThat(
            UserSecrets.isMarked(
                new SecretBuilder().withNewMetadata().withName("s").endMetadata().build()))
        .isFalse();
  }

  @Test
  void aMissingAndAnUnmarkedSecretGetOneMessageThatNamesOnlyTheSecret() {
    assertThat(UserSecrets.notUsableMessage("team-key"))
        .isEqualTo("Secret team-key not found, or not labelled herald.dev/usable=true");
  }

  private static Secret labelled(Map<String, String> labels) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("s")
        .withLabels(labels)
        .endMetadata()
        .build();
  }
}
