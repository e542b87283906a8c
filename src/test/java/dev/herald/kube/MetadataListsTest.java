package dev.herald.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** The uids and version of a list, whether the server sent metadata only or whole objects. */
class MetadataListsTest {

  @Test
  void readsAMetadataOnlyList() {
    MetadataLists.Listed listed =
        MetadataLists.read(
            """
            {"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1",
             "metadata":{"resourceVersion":"4711"},
             "items":[{"kind":"PartialObjectMetadata","metadata":{"name":"a","uid":"u-a"}},
                      {"metadata":{"name":"b","uid":"u-b"}}]}
            """);

    assertThat(listed.resourceVersion()).isEqualTo("4711");
    assertThat(listed.uids()).containsExactlyInAnyOrder("u-a", "u-b");
  }

  @Test
  void readsAWholeListTheSameWay() {
    MetadataLists.Listed listed =
        MetadataLists.read(
            """
            {"kind":"WebhookEndpointList","metadata":{"resourceVersion":"12"},
             "items":[{"metadata":{"uid":"u-a"},"spec":{"url":"https://x.example/"},
                       "status":{"conditions":[]}}]}
            """);

    assertThat(listed.resourceVersion()).isEqualTo("12");
    assertThat(listed.uids()).containsExactly("u-a");
  }

  @Test
  void anEmptyListHasNoUids() {
    assertThat(MetadataLists.read("{\"metadata\":{\"resourceVersion\":\"3\"},\"items\":[]}").uids())
        .isEmpty();
    assertThat(MetadataLists.read("{\"metadata\":{}}").resourceVersion()).isNull();
  }

  @Test
  void anUnreadableAnswerIsAClientError() {
    assertThatThrownBy(() -> MetadataLists.read("<html>"))
        .isInstanceOf(KubernetesClientException.class);
  }
}
