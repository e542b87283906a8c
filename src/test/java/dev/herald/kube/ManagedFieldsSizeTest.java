package dev.herald.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEvent;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagedFieldsSizeTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private final KubernetesSerialization serialization = KubeJson.serialization();

  /** Entries as kube-apiserver 1.20 writes them: a user's create, Herald's status and labels. */
  private static ArrayNode managedFields() {
    ArrayNode entries = PLAIN.createArrayNode();
    ObjectNode create = entries.addObject();
    create.put("manager", "kubectl-client-side-apply").put("operation", "Update");
    create.put("apiVersion", "herald.dev/v1alpha1").put("time", "2026-12-02T17:09:43Z");
    create.put("fieldsType", "FieldsV1");
    ObjectNode spec = create.putObject("fieldsV1").putObject("f:spec");
    spec.putObject("f:endpointRef").putObject("f:name");
    ObjectNode payload = spec.putObject("f:payload");
    payload.putObject("f:order \"id\"");
    payload.putObject("f:Bestellnummer-äöü");
    payload.putObject("f:注文").putObject("f:😀");
    ObjectNode status = entries.addObject();
    status.put("manager", "herald").put("operation", "Update");
    status.put("apiVersion", "herald.dev/v1alpha1").put("time", "2026-12-02T17:09:44Z");
    status.put("fieldsType", "FieldsV1");
    ObjectNode fields = status.putObject("fieldsV1").putObject("f:status");
    fields.putObject("f:conditions").putObject("k:{\"type\":\"Ready\"}").putObject("f:status");
    fields.putObject("f:attempts");
    fields.putObject("f:phase");
    return entries;
  }

  private static String delivery(ArrayNode managedFields) {
    ObjectNode object = PLAIN.createObjectNode();
    object.put("apiVersion", "herald.dev/v1alpha1").put("kind", "WebhookDelivery");
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", "d1").put("namespace", "ns").put("resourceVersion", "42");
    metadata.putObject("labels").put("herald.dev/phase", "Succeeded");
    metadata.set("managedFields", managedFields);
    object.putObject("spec").put("eventType", "order.created").putObject("endpointRef");
    object.putObject("status").put("phase", "Succeeded");
    return object.toString();
  }

  private static long compactBytes(ArrayNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void theEntriesAreReadPastAndOnlyTheirSizeIsKept() {
    ArrayNode entries = managedFields();
    WebhookDelivery read = serialization.unmarshal(delivery(entries), WebhookDelivery.class);

    ObjectMeta metadata = read.getMetadata();
    assertThat(metadata.getManagedFields()).hasSize(1);
    assertThat(metadata.getManagedFields().get(0).getManager())
        .isEqualTo(ManagedFieldsSize.PLACEHOLDER);
    long exact = compactBytes(entries);
    assertThat(ManagedFieldsSize.notHeld(metadata)).isBetween(exact, exact + exact / 10 + 16);
    // the rest of the metadata is read as before
    assertThat(metadata.getName()).isEqualTo("d1");
    assertThat(metadata.getResourceVersion()).isEqualTo("42");
    assertThat(metadata.getLabels()).containsEntry("herald.dev/phase", "Succeeded");
    assertThat(read.getSpec().getEventType()).isEqualTo("order.created");
  }

  @Test
  void theSizeSurvivesJosdksCloneAndBytesInput() throws Exception {
    String json = delivery(managedFields());
    WebhookDelivery read = serialization.unmarshal(json, WebhookDelivery.class);
    long size = ManagedFieldsSize.notHeld(read.getMetadata());

    WebhookDelivery cloned = serialization.clone(serialization.clone(read));
    assertThat(ManagedFieldsSize.notHeld(cloned.getMetadata())).isEqualTo(size);

    WebhookDelivery fromBytes =
        KubeJson.mapper().readValue(json.getBytes(StandardCharsets.UTF_8), WebhookDelivery.class);
    assertThat(ManagedFieldsSize.notHeld(fromBytes.getMetadata())).isEqualTo(size);
  }

  @Test
  void eventsAreReadTheSameWay() {
    String json = delivery(managedFields()).replace("WebhookDelivery", "WebhookEvent");
    WebhookEvent read = serialization.unmarshal(json, WebhookEvent.class);
    assertThat(ManagedFieldsSize.notHeld(read.getMetadata())).isPositive();
  }

  @Test
  void fieldsNestedAsDeepAsAPayloadCanBeAreWalkedWithoutRecursion() {
    ArrayNode entries = managedFields();
    StringBuilder deep = new StringBuilder();
    int levels = 9_000;
    deep.append("{\"manager\":\"m\",\"fieldsV1\":");
    deep.append("{\"f:a\":".repeat(levels)).append("{}").append("}".repeat(levels)).append('}');
    String json =
        delivery(entries).replace("\"managedFields\":[", "\"managedFields\":[" + deep + ",");

    WebhookDelivery read = serialization.unmarshal(json, WebhookDelivery.class);
    assertThat(ManagedFieldsSize.notHeld(read.getMetadata()))
        .isGreaterThan(compactBytes(entries) + 7L * levels);
  }

  @Test
  void metadataReadInFullHoldsItsOwnEntries() {
    ObjectMeta plain = new ObjectMeta();
    assertThat(ManagedFieldsSize.notHeld(plain)).isZero();
    assertThat(ManagedFieldsSize.notHeld(null)).isZero();
  }

  @Test
  void statusWritesCountTheEntriesThatWereNotRead() {
    ObjectMeta small = new ObjectMeta();
    small.setName("d");
    small.setManagedFields(java.util.List.of(ManagedFieldsSize.placeholder(10)));
    ObjectMeta large = new ObjectMeta();
    large.setName("d");
    large.setManagedFields(
        java.util.List.of(ManagedFieldsSize.placeholder(StatusWrites.ETCD_REQUEST_LIMIT)));
    Map<String, String> status = Map.of("phase", "Pending");

    assertThat(StatusWrites.overLimit(serialization, small, null, status)).isNull();
    assertThat(StatusWrites.overLimit(serialization, large, null, status)).isNotNull();
  }

  @Test
  void jsonStringBytesAreUtf8WithEscapes() {
    assertThat(ManagedFieldsSize.jsonStringBytes("a")).isEqualTo(3);
    assertThat(ManagedFieldsSize.jsonStringBytes("\"\\")).isEqualTo(6);
    assertThat(ManagedFieldsSize.jsonStringBytes("ä")).isEqualTo(4);
    assertThat(ManagedFieldsSize.jsonStringBytes("注")).isEqualTo(5);
    assertThat(ManagedFieldsSize.jsonStringBytes("😀")).isEqualTo(6);
  }
}
