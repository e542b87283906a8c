package dev.herald.e2e;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The YAML the tests apply, written as a user would (flow style for short maps and lists). */
final class Manifests {
  private Manifests() {}

  /** An endpoint with a retry schedule such as {@code "1s"} or {@code "1h"}. */
  static String endpoint(String name, String url, String... schedule) {
    return """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookEndpoint
        metadata:
          name: %s
        spec:
          url: %s
          timeout: 5s
          retry:
            schedule: [%s]
        """
        .formatted(
            name,
            url,
            Arrays.stream(schedule).map(s -> "\"" + s + "\"").collect(Collectors.joining(", ")));
  }

  /** An endpoint with extra spec lines appended (two-space indented under spec). */
  static String endpoint(String name, String url, String schedule, String extraSpec) {
    return endpoint(name, url, schedule) + extraSpec.indent(2);
  }

  /** An endpoint retrying every second with these {@code spec.signing} fields (flow style). */
  static String signedEndpoint(String name, String url, String signing) {
    return endpoint(name, url, "1s", "signing: {" + signing + "}");
  }

  static String delivery(String name, String endpoint, String payload) {
    return """
        apiVersion: herald.dev/v1alpha1
        kind: WebhookDelivery
        metadata:
          name: %s
        spec:
          endpointRef: {name: %s}
          eventType: order.created
          payload: %s
        """
        .formatted(name, endpoint, payload);
  }

  /** A ConfigMap holding a PEM CA bundle under {@code ca.crt}, for {@code spec.tls.caBundle}. */
  static String caBundleConfigMap(String name, String pem) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s}
        data:
          ca.crt: |
        %s"""
        .formatted(name, pem.indent(4));
  }
}
