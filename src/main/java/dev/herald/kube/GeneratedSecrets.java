package dev.herald.kube;

import dev.herald.api.Herald;
import dev.herald.signing.SecretGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The one shape of a Secret Herald generates to sign with (for an endpoint or a digest): a fresh
 * {@code whsec_} key under {@link Herald#SECRET_KEY}, Herald's managed-by label beside the owner's
 * labels (which say whom it was made for), and a controller owner reference, so it goes with its
 * owner even when no status names it.
 */
public final class GeneratedSecrets {
  private GeneratedSecrets() {}

  public static Secret signingSecret(HasMetadata owner, String name, Map<String, String> labels) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .addToLabels(labels)
        .addToLabels(Herald.LABEL_MANAGED_BY, Herald.MANAGED_BY)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(false)
                .build())
        .endMetadata()
        .withType("Opaque")
        .addToData(
            Herald.SECRET_KEY,
            Base64.getEncoder()
                .encodeToString(SecretGenerator.generate().getBytes(StandardCharsets.UTF_8)))
        .build();
  }
}
