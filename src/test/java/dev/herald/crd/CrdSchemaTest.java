package dev.herald.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the checked-in CRDs promise users (API.md): names, columns, status subresource and the
 * schema rules the API server enforces at apply time. The end-to-end suite applies the same files
 * to a real API server.
 */
class CrdSchemaTest {

  @Test
  void deliveryCrd() throws IOException {
    CustomResourceDefinitionVersion v = version("webhookdeliveries.herald.dev-v1.yml");
    CustomResourceDefinition crd = load("webhookdeliveries.herald.dev-v1.yml");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("whd");
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("herald");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(v.getSubresources().getStatus()).isNotNull();
    assertThat(v.getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly(
            "Endpoint", "Event", "Phase", "Code", "Attempts", "Next Attempt", "Age", "Reason");
    assertThat(v.getAdditionalPrinterColumns())
        .as("the default table stays as it was; the Ready reason is shown with -o wide")
        .filteredOn(column -> column.getPriority() != null && column.getPriority() > 0)
        .extracting(
            CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath)
        .containsExactly(tuple("Reason", ".status.conditions[?(@.type==\"Ready\")].reason"));
    JSONSchemaProps spec = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(spec.getRequired()).containsExactlyInAnyOrder("endpointRef", "eventType", "payload");
    assertThat(spec.getProperties().get("endpointRef").getRequired()).containsExactly("name");
    JSONSchemaProps payload = spec.getProperties().get("payload");
    assertThat(payload.getType()).isEqualTo("object");
    assertThat(payload.getXKubernetesPreserveUnknownFields()).isTrue();
    assertThat(payload.getAdditionalProperties())
        .as("any JSON value may sit in the payload")
        .isNull();
  }

  @Test
  void endpointCrd() throws IOException {
    CustomResourceDefinition crd = load("webhookendpoints.herald.dev-v1.yml");
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("whe");
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("herald");
    assertThat(v.getSubresources().getStatus()).isNotNull();
    assertThat(v.getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("URL", "Phase", "Failures", "Last Success", "Age");
    JSONSchemaProps spec = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(spec.getRequired()).containsExactly("url");
    assertThat(spec.getProperties().keySet())
        .as("exactly the fields of API.md (a helper getter must not add one)")
        .containsExactlyInAnyOrder(
            "url",
            "tls",
            "bypassProxy",
            "rateLimit",
            "eventTypes",
            "paused",
            "timeout",
            "headers",
            "retry",
            "signing",
            "history",
            "ordering",
            "failurePolicy",
            "auth",
            "headersFrom");
    // credentials: every reference names a Secret and a key, the token URL is a URL
    var auth = spec.getProperties().get("auth").getProperties();
    assertThat(auth.keySet()).containsExactlyInAnyOrder("bearer", "basic", "oauth2");
    assertThat(auth.get("bearer").getProperties().get("secretRef").getRequired())
        .containsExactlyInAnyOrder("name", "key");
    assertThat(auth.get("oauth2").getRequired())
        .containsExactlyInAnyOrder("tokenUrl", "clientSecretRef");
    assertThat(auth.get("oauth2").getProperties().get("tokenUrl").getPattern())
        .isEqualTo(spec.getProperties().get("url").getPattern());
    var headerFrom = spec.getProperties().get("headersFrom").getItems().getSchema();
    assertThat(headerFrom.getRequired()).containsExactlyInAnyOrder("name", "secretRef");
    assertThat(spec.getProperties().get("headersFrom").getMaxItems()).isEqualTo(32L);

    Pattern url = Pattern.compile(spec.getProperties().get("url").getPattern());
    assertThat(url.matcher("https://billing.example.com/hooks").matches()).isTrue();
    assertThat(url.matcher("http://10.0.0.1:8080/h?x=1").matches()).isTrue();
    assertThat(url.matcher("ftp://example.com/").matches()).isFalse();
    assertThat(url.matcher("https://user:pass@example.com/").matches())
        .as("no credentials in URLs")
        .isFalse();
    assertThat(url.matcher("example.com/hooks").matches()).isFalse();

    Pattern duration = Pattern.compile(spec.getProperties().get("timeout").getPattern());
    assertThat(duration.matcher("15s").matches()).isTrue();
    assertThat(duration.matcher("1h30m").matches()).isTrue();
    assertThat(duration.matcher("10 seconds").matches()).isFalse();
    assertThat(duration.matcher("-1s").matches()).isFalse();

    JSONSchemaProps retry = spec.getProperties().get("retry");
    assertThat(retry.getProperties().get("maxAge").getPattern()).isEqualTo(duration.pattern());
    Pattern entry =
        Pattern.compile(retry.getProperties().get("schedule").getItems().getSchema().getPattern());
    assertThat(entry.matcher("60s x10").matches()).isTrue();
    assertThat(entry.matcher("1h x70").matches()).isTrue();
    assertThat(entry.matcher("72h").matches()).isTrue();
    assertThat(entry.matcher("every 5m").matches()).isFalse();
    assertThat(entry.matcher("60s x0").matches()).isFalse();

    JSONSchemaProps signing = spec.getProperties().get("signing");
    assertThat(signing.getProperties().get("secretRef").getRequired()).containsExactly("name");
    assertThat(signing.getProperties().get("rotationOverlap").getPattern())
        .isEqualTo(duration.pattern());
    JSONSchemaProps history = spec.getProperties().get("history");
    assertThat(history.getProperties().get("keep").getMinimum()).isEqualTo(0.0);

    JSONSchemaProps rateLimit = spec.getProperties().get("rateLimit");
    assertThat(rateLimit.getRequired()).containsExactly("requests");
    for (String count : List.of("requests", "burst")) {
      assertThat(rateLimit.getProperties().get(count).getMinimum()).isEqualTo(1.0);
      assertThat(rateLimit.getProperties().get(count).getMaximum()).isEqualTo(10000.0);
    }
    Pattern per = Pattern.compile(rateLimit.getProperties().get("per").getPattern());
    assertThat(per.matcher("1s").matches()).isTrue();
    assertThat(per.matcher("500ms").matches()).isFalse();
  }

  private static CustomResourceDefinitionVersion version(String file) throws IOException {
    return load(file).getSpec().getVersions().get(0);
  }

  private static CustomResourceDefinition load(String file) throws IOException {
    try (InputStream in = Files.newInputStream(CrdYaml.CHECKED_IN.resolve(file))) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
  }
}
