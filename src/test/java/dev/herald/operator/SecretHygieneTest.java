package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.SigningSpec;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.demo.MockServerSelectors;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** After a full run with failures and a rotation, no key material is in logs, status or Events. */
@EnableKubernetesMockClient(crud = true)
class SecretHygieneTest {
  KubernetesClient client;
  KubernetesMockServer server;

  @org.junit.jupiter.api.BeforeEach
  void setBasedSelectors() {
    MockServerSelectors.install(server);
  }

  @Test
  void noKeyMaterialInLogsStatusOrEvents() throws Exception {
    String ns = OperatorHarness.freshNamespace();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    try (TestReceiver receiver = new TestReceiver();
        OperatorHarness herald = new OperatorHarness(client).start()) {
      receiver.thenRespond(Response.of(500, "nope"), Response.of(401, "bad signature"));
      WebhookEndpoint e = endpoint(ns, "billing", receiver.url("/hook"), "1s", "1s", "1s");
      SigningSpec signing = new SigningSpec();
      signing.setRotationOverlap("1s");
      e.getSpec().setSigning(signing);
      client.resource(e).create();
      client.resource(delivery(ns, "d1", "billing", "{}")).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> phase(ns, "d1") == DeliveryPhase.Succeeded);
      dev.herald.testing.Resources.editRetrying(
          client.resources(WebhookEndpoint.class).inNamespace(ns).withName("billing"),
          x -> {
            x.getMetadata()
                .setAnnotations(
                    new java.util.HashMap<>(Map.of(Herald.ANNOTATION_ROTATE_SECRET, "r1")));
            return x;
          });
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> client.secrets().inNamespace(ns).list().getItems().size() == 2);
      client.resource(delivery(ns, "d2", "billing", "{}")).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> phase(ns, "d2") == DeliveryPhase.Succeeded);

      List<String> secrets = new ArrayList<>();
      for (Secret s : client.secrets().inNamespace(ns).list().getItems()) {
        String whsec =
            new String(
                Base64.getDecoder().decode(s.getData().get(Herald.SECRET_KEY)),
                StandardCharsets.UTF_8);
        secrets.add(whsec);
        secrets.add(whsec.substring("whsec_".length()));
      }
      List<String> signatures =
          receiver.received().stream()
              .flatMap(r -> List.of(r.header("webhook-signature").split(" ")).stream())
              .map(sig -> sig.substring(3))
              .toList();
      assertThat(secrets).hasSize(4);
      assertThat(signatures).isNotEmpty();

      StringBuilder everything = new StringBuilder();
      everything.append(
          client
              .getKubernetesSerialization()
              .asJson(client.resources(WebhookEndpoint.class).inNamespace(ns).list()));
      everything.append(
          client
              .getKubernetesSerialization()
              .asJson(client.resources(WebhookDelivery.class).inNamespace(ns).list()));
      everything.append(
          client.getKubernetesSerialization().asJson(client.v1().events().inNamespace(ns).list()));
      herald.stop();
      String logs = captured.toString(StandardCharsets.UTF_8);
      assertThat(logs).as("the operator logged its attempts").contains("attempt 1");
      everything.append(logs);
      for (String needle : concat(secrets, signatures)) {
        assertThat(everything.toString()).doesNotContain(needle);
      }
    } finally {
      System.setErr(original);
    }
  }

  private DeliveryPhase phase(String ns, String name) {
    var d = client.resources(WebhookDelivery.class).inNamespace(ns).withName(name).get();
    return d == null || d.getStatus() == null ? null : d.getStatus().getPhase();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Writes to the console and to a buffer, so the run stays visible while we inspect it. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      synchronized (b) {
        b.write(x);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      synchronized (b) {
        b.write(buf, off, len);
      }
    }
  }
}
