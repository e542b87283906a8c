package dev.herald.kube.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Verbs and resources named as the API server names them. */
class ApiCallTest {
  private static ApiCall call(String method, String url) {
    return ApiCall.of(method, URI.create("https://10.0.0.1:6443" + url));
  }

  @Test
  void namespacedCustomResources() {
    String base = "/apis/herald.dev/v1alpha1/namespaces/shop/webhookdeliveries";
    assertThat(call("GET", base)).isEqualTo(new ApiCall("list", "webhookdeliveries"));
    assertThat(call("GET", base + "?labelSelector=shard%3Da&resourceVersion=0"))
        .isEqualTo(new ApiCall("list", "webhookdeliveries"));
    assertThat(call("GET", base + "?watch=true&resourceVersion=12"))
        .isEqualTo(new ApiCall("watch", "webhookdeliveries"));
    assertThat(call("GET", base + "/d1")).isEqualTo(new ApiCall("get", "webhookdeliveries"));
    assertThat(call("POST", base)).isEqualTo(new ApiCall("create", "webhookdeliveries"));
    assertThat(call("PUT", base + "/d1")).isEqualTo(new ApiCall("update", "webhookdeliveries"));
    assertThat(call("PATCH", base + "/d1/status"))
        .isEqualTo(new ApiCall("patch", "webhookdeliveries"));
    assertThat(call("DELETE", base + "/d1")).isEqualTo(new ApiCall("delete", "webhookdeliveries"));
    assertThat(call("DELETE", base))
        .isEqualTo(new ApiCall("deletecollection", "webhookdeliveries"));
  }

  @Test
  void coreGroupClusterWideAndClusterScoped() {
    assertThat(call("GET", "/api/v1/namespaces/shop/secrets/s1"))
        .isEqualTo(new ApiCall("get", "secrets"));
    assertThat(call("POST", "/api/v1/namespaces/shop/events"))
        .isEqualTo(new ApiCall("create", "events"));
    assertThat(call("PUT", "/apis/coordination.k8s.io/v1/namespaces/herald/leases/herald-operator"))
        .isEqualTo(new ApiCall("update", "leases"));
    assertThat(call("GET", "/apis/herald.dev/v1alpha1/webhookendpoints?watch=1"))
        .isEqualTo(new ApiCall("watch", "webhookendpoints"));
    assertThat(call("GET", "/api/v1/namespaces")).isEqualTo(new ApiCall("list", "namespaces"));
    assertThat(call("GET", "/api/v1/namespaces/shop")).isEqualTo(new ApiCall("get", "namespaces"));
    assertThat(call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"))
        .isEqualTo(new ApiCall("create", "customresourcedefinitions"));
  }

  @Test
  void pathsWithoutAResource() {
    assertThat(call("GET", "/version")).isEqualTo(new ApiCall("get", ApiCall.NON_RESOURCE));
    assertThat(call("GET", "/apis/herald.dev/v1alpha1"))
        .isEqualTo(new ApiCall("get", ApiCall.NON_RESOURCE));
  }

  @Test
  void theNamespaceARequestIsAbout() {
    assertThat(
            ApiCall.namespaceOf(
                URI.create(
                    "https://a:6443/apis/herald.dev/v1alpha1/namespaces/shop/webhookdeliveries/d1/status")))
        .isEqualTo("shop");
    assertThat(ApiCall.namespaceOf(URI.create("https://a:6443/api/v1/namespaces/shop/secrets/s1")))
        .isEqualTo("shop");
    assertThat(ApiCall.namespaceOf(URI.create("https://a:6443/api/v1/namespaces/shop")))
        .isEqualTo("shop");
    assertThat(ApiCall.namespaceOf(URI.create("https://a:6443/api/v1/namespaces"))).isEmpty();
    assertThat(
            ApiCall.namespaceOf(
                URI.create("https://a:6443/apis/herald.dev/v1alpha1/webhookdeliveries?limit=500")))
        .isEmpty();
    assertThat(ApiCall.namespaceOf(URI.create("https://a:6443/version"))).isEmpty();
  }

  @Test
  void deletionsOfEveryNamespaceShareOneLineThatNoNamespaceCanBe() {
    URI delivery =
        URI.create("https://a:6443/apis/herald.dev/v1alpha1/namespaces/shop/webhookdeliveries/d1");
    assertThat(ApiCall.lineOf("PATCH", delivery)).isEqualTo("shop");
    assertThat(ApiCall.lineOf("DELETE", delivery)).isEqualTo(ApiCall.DELETIONS);
    assertThat(
            ApiCall.lineOf("delete", URI.create("https://a:6443/api/v1/namespaces/bank/secrets/s")))
        .isEqualTo(ApiCall.DELETIONS);
    // a namespace's name is a DNS label
    assertThat(ApiCall.DELETIONS).doesNotMatch("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }
}
