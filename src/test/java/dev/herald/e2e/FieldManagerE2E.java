package dev.herald.e2e;

import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.testing.TestReceiver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code kubectl get -o yaml --show-managed-fields} says about who wrote what: the operator's
 * writes (status, labels, the Secret it generates) are the field manager {@code herald}, never
 * fabric8's default name.
 */
class FieldManagerE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("fieldmanager");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theOperatorsWritesAreManagedByHerald() throws Exception {
    env.startOperator();
    TestReceiver receiver = env.receiver();
    env.apply(endpoint("billing", receiver.url("/hooks"), "1s"));
    env.apply(delivery("order-1", "billing", "{\"orderId\": 1}"));
    env.awaitDeliveryPhase("order-1", "Succeeded");
    env.awaitField("whe", "billing", ".status.phase", "Active"::equals);
    String secret =
        env.awaitField("whe", "billing", ".status.signingSecretName", s -> !s.isEmpty());

    // Herald owns the status it writes and the phase label it patches (the kube-apiserver of the
    // suite, 1.20, keeps status writes in the same entry: managedFields has no subresource yet)
    JsonNode delivery = herald("whd", "order-1");
    assertThat(delivery.has("f:status")).isTrue();
    assertThat(delivery.path("f:metadata").path("f:labels").has("f:herald.dev/phase")).isTrue();
    assertThat(herald("whe", "billing").has("f:status")).isTrue();
    assertThat(herald("secret", secret).path("f:data").size()).isPositive();
    for (String[] object :
        new String[][] {{"whd", "order-1"}, {"whe", "billing"}, {"secret", secret}}) {
      assertThat(managers(object[0], object[1]))
          .as("field managers of %s %s", object[0], object[1])
          .contains("herald")
          .allMatch(m -> m.equals("herald") || m.startsWith("kubectl"));
    }
  }

  private static JsonNode managedFields(String kind, String name) throws Exception {
    return JSON.readTree(env.ok("get", kind, name, "--show-managed-fields", "-o", "json"))
        .path("metadata")
        .path("managedFields");
  }

  private static List<String> managers(String kind, String name) throws Exception {
    List<String> out = new ArrayList<>();
    managedFields(kind, name).forEach(entry -> out.add(entry.path("manager").asText()));
    return out;
  }

  /** The fields (fieldsV1) of every entry of the manager herald, merged at the top level. */
  private static JsonNode herald(String kind, String name) throws Exception {
    ObjectNode merged = JSON.createObjectNode();
    for (JsonNode entry : managedFields(kind, name)) {
      if (entry.path("manager").asText().equals("herald")) {
        entry.path("fieldsV1").properties().forEach(f -> merged.set(f.getKey(), f.getValue()));
      }
    }
    return merged;
  }
}
