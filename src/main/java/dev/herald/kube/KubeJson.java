package dev.herald.kube;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookDigest;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.api.v1alpha1.WebhookEventSpec;
import dev.herald.api.v1alpha1.WebhookEventStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * The JSON settings of Herald's Kubernetes client, in one place: whatever the API server admits for
 * Herald's kinds must be readable here, or one object stops an informer (fabric8 and JOSDK never
 * retry a watch or list that failed to deserialize) and with it the operator.
 *
 * <p>Jackson's defaults are stricter than kube-apiserver 1.20 in two places: nesting depth (1,000
 * for reading and writing) and property-name length (50,000). The server parses request bodies with
 * Go's encoding/json, which refuses JSON nested deeper than 10,000 levels (checked on 1.20: a
 * delivery 10,000 levels deep in all is created, 10,001 is refused), and refuses bodies over 3 MiB
 * (etcd then stores at most 1.5 MiB per object).
 */
public final class KubeJson {
  /**
   * The API server's 10,000 levels, plus the two a list response (items, array) or the one a watch
   * event (object) wraps around an object, with room to spare.
   */
  public static final int MAX_NESTING_DEPTH = 10_100;

  /**
   * A string or property name can be as long as a request body (3 MiB); Jackson's default string
   * limit (20 million characters) is kept, as the limit for names too.
   */
  public static final int MAX_STRING_LENGTH = 20_000_000;

  /**
   * The API server stores numbers of custom resources as int64 or float64 and writes them back in
   * at most 25 characters, whatever the request said: Jackson's default (1,000) is ample and keeps
   * big-number parsing cheap.
   */
  public static final int MAX_NUMBER_LENGTH = 1_000;

  private KubeJson() {}

  /**
   * The constraints every parser of Herald's client uses. Document length stays unlimited: a list
   * page holds many objects.
   */
  public static StreamReadConstraints readConstraints() {
    return StreamReadConstraints.builder()
        .maxNestingDepth(MAX_NESTING_DEPTH)
        .maxStringLength(MAX_STRING_LENGTH)
        .maxNameLength(MAX_STRING_LENGTH)
        .maxNumberLength(MAX_NUMBER_LENGTH)
        .maxDocumentLength(-1)
        .build();
  }

  public static StreamWriteConstraints writeConstraints() {
    return StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build();
  }

  /**
   * A mapper with Herald's limits and tolerant readers ({@link Unreadable}) for the kinds that
   * carry a free-form payload; also what {@link #serialization()} wraps.
   */
  public static ObjectMapper mapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.getFactory().setStreamReadConstraints(readConstraints());
    mapper.getFactory().setStreamWriteConstraints(writeConstraints());
    SimpleModule tolerant = new SimpleModule("herald-tolerant-resources");
    tolerant.addDeserializer(
        WebhookDelivery.class,
        new TolerantResourceDeserializer<>(
            WebhookDelivery.class,
            WebhookDelivery::new,
            WebhookDeliverySpec.class,
            WebhookDeliveryStatus.class));
    tolerant.addDeserializer(
        WebhookEvent.class,
        new TolerantResourceDeserializer<>(
            WebhookEvent.class,
            WebhookEvent::new,
            WebhookEventSpec.class,
            WebhookEventStatus.class));
    // payloads: written without recursion, however deep
    tolerant.addSerializer(ObjectNode.class, new JsonTreeSerializer());
    mapper.registerModule(tolerant);
    return mapper;
  }

  /**
   * The serialization to build every Kubernetes client of Herald with. Herald's kinds are
   * registered so that a watch event's object is read as its class at once: fabric8 reads an
   * unregistered kind as a map and converts it afterwards, recursing once per level.
   */
  public static KubernetesSerialization serialization() {
    KubernetesSerialization serialization = new KubernetesSerialization(mapper(), true);
    for (Class<? extends io.fabric8.kubernetes.api.model.KubernetesResource> kind :
        List.of(
            WebhookEndpoint.class,
            WebhookDelivery.class,
            WebhookEvent.class,
            WebhookDigest.class)) {
      serialization.registerKubernetesResource(kind);
    }
    return serialization;
  }
}
