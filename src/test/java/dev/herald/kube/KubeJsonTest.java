package dev.herald.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEvent;
import dev.herald.signing.SigningKey;
import dev.herald.signing.WebhookSigner;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KubeJsonTest {
  private final KubernetesSerialization json = KubeJson.serialization();

  /** {"a":{"a":...{"a":1}...}} with {@code depth} objects. */
  static String nested(int depth) {
    return "{\"a\":".repeat(depth - 1) + "{\"a\":1}" + "}".repeat(depth - 1);
  }

  static String delivery(String name, String payload) {
    return "{\"apiVersion\":\"herald.dev/v1alpha1\",\"kind\":\"WebhookDelivery\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\"ns\",\"uid\":\"uid-"
        + name
        + "\",\"resourceVersion\":\"7\"},"
        + "\"spec\":{\"endpointRef\":{\"name\":\"ep\"},\"eventType\":\"order.created\",\"payload\":"
        + payload
        + "}}";
  }

  static String list(String... items) {
    return "{\"apiVersion\":\"herald.dev/v1alpha1\",\"kind\":\"WebhookDeliveryList\",\"metadata\":{\"resourceVersion\":\"9\"},"
        + "\"items\":["
        + String.join(",", items)
        + "]}";
  }

  @Test
  void readsAListWithAPayloadAsDeepAsTheApiServerAdmits() {
    // the API server refuses nesting beyond 10,000 levels; the payload sits 3 levels down
    String deep = list(delivery("deep", nested(10_000 - 3)), delivery("plain", "{\"order\":1}"));
    KubernetesResourceList<WebhookDelivery> items = readList(json, deep);
    assertThat(items.getItems()).hasSize(2);
    assertThat(Unreadable.reason(items.getItems().get(0))).isEmpty();
    // what fabric8 does with Jackson's defaults (nesting depth 1,000): the whole list fails
    assertThatThrownBy(() -> readList(new KubernetesSerialization(), deep))
        .rootCause()
        .hasMessageContaining("nesting depth");
  }

  @Test
  void readsNamesAndStringsAsLongAsARequestBody() {
    String longName = "k".repeat(200_000);
    String payload = "{\"" + longName + "\":\"" + "v".repeat(2_000_000) + "\"}";
    WebhookDelivery d = json.unmarshal(delivery("long", payload), WebhookDelivery.class);
    assertThat(d.getSpec().getPayload().get(longName).asText()).hasSize(2_000_000);
  }

  /**
   * JOSDK clones each resource before a reconcile and Herald compares statuses as JSON, writes the
   * payload as the request body and signs it: none of that may run out of stack on a thread of
   * ordinary size for a payload the API server admits.
   */
  @Test
  void deepPayloadSurvivesCloneSerializationAndSigningOnAnOrdinaryThread() throws Exception {
    WebhookDelivery d = json.unmarshal(delivery("deep", nested(10_000 - 3)), WebhookDelivery.class);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<byte[]> body = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                WebhookDelivery copy = json.clone(d);
                String asJson = json.asJson(copy);
                body.set(KubeJson.mapper().writeValueAsBytes(copy.getSpec().getPayload()));
                WebhookSigner.sign(
                    "msg_1",
                    0L,
                    body.get(),
                    java.util.List.of(
                        SigningKey.parse(
                            "whsec_"
                                + java.util.Base64.getEncoder().encodeToString(new byte[32]))));
                assertThat(asJson).contains("\"deep\"");
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "ordinary-stack",
            512 * 1024);
    t.start();
    t.join();
    assertThat(failure.get()).isNull();
    assertThat(new String(body.get(), StandardCharsets.UTF_8)).isEqualTo(nested(10_000 - 3));
  }

  /**
   * A watch event's object is typed only by its kind: fabric8 then converts a map it read, unless
   * the kind is registered.
   */
  @Test
  void aDeepWatchEventIsReadAsADeliveryOnAnOrdinaryThread() throws Exception {
    String event = "{\"type\":\"ADDED\",\"object\":" + delivery("deep", nested(10_000 - 3)) + "}";
    AtomicReference<Object> read = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                read.set(json.unmarshal(event, WatchEvent.class).getObject());
              } catch (Throwable e) {
                read.set(e);
              }
            },
            "ordinary-stack",
            512 * 1024);
    t.start();
    t.join();
    assertThat(read.get()).isInstanceOf(WebhookDelivery.class);
  }

  @Test
  void aDeliveryWhoseSpecCannotBeBoundIsMarkedAndTheRestOfTheListIsRead() {
    String bad =
        delivery("bad", "{\"x\":1}").replace("\"order.created\"", "{\"x\":\"secret-value-1234\"}");
    KubernetesResourceList<WebhookDelivery> items =
        readList(json, list(bad, delivery("plain", "{\"order\":1}")));
    assertThat(items.getItems())
        .extracting(x -> x.getMetadata().getName())
        .containsExactly("bad", "plain");
    WebhookDelivery unreadable = items.getItems().get(0);
    assertThat(unreadable.getSpec()).isNull();
    assertThat(Unreadable.reason(unreadable))
        .get()
        .asString()
        .startsWith("spec: ")
        .contains("eventType")
        .doesNotContain("secret-value-1234");
    assertThat(Unreadable.reason(items.getItems().get(1))).isEmpty();
    // the marker survives the copy JOSDK makes before a reconcile
    assertThat(Unreadable.reason(json.clone(unreadable))).isPresent();
  }

  @Test
  void anEventWhoseStatusCannotBeBoundIsMarked() {
    String event =
        "{\"apiVersion\":\"herald.dev/v1alpha1\",\"kind\":\"WebhookEvent\",\"metadata\":{\"name\":\"e\",\"namespace\":\"ns\"},"
            + "\"spec\":{\"eventType\":\"a\",\"payload\":{}},\"status\":{\"deliveries\":{\"deep\":[[[1]]]}},\"zzz\":{\"later\":[1,2]}}";
    WebhookEvent e = json.unmarshal(event, WebhookEvent.class);
    assertThat(Unreadable.reason(e)).get().asString().startsWith("status: ");
    assertThat(e.getMetadata().getName()).isEqualTo("e");
  }

  @Test
  void aNumberTheSchemaAdmitsButJavaCannotHoldMarksTheObject() {
    // status.attempts is an integer in the schema: the API server stores any int64
    String d = delivery("big", "{}");
    d =
        d.substring(0, d.length() - 1)
            + ",\"status\":{\"attempts\":9223372036854775807,\"phase\":\"Failed\"}}";
    KubernetesResourceList<WebhookDelivery> items =
        readList(json, list(d, delivery("plain", "{}")));
    assertThat(Unreadable.reason(items.getItems().get(0)))
        .get()
        .asString()
        .startsWith("status: ")
        .contains("attempts")
        .doesNotContain("9223372036854775807");
    assertThat(Unreadable.reason(items.getItems().get(1))).isEmpty();
  }

  @Test
  void theMarkerIsNotAnAnnotationKeyTheApiServerAccepts() {
    // qualified name: [prefix/]name, name = [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?
    String name = Unreadable.ANNOTATION.substring(Unreadable.ANNOTATION.indexOf('/') + 1);
    assertThat(name).doesNotMatch("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  }

  private static final TypeReference<DefaultKubernetesResourceList<WebhookDelivery>> LIST =
      new TypeReference<>() {};

  static KubernetesResourceList<WebhookDelivery> readList(
      KubernetesSerialization serialization, String json) {
    return serialization.unmarshal(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), LIST);
  }
}
