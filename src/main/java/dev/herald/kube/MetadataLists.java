package dev.herald.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lists only the metadata of a namespace's objects of one kind, as they are now (a quorum read,
 * newer than anything written before it). The server leaves out spec and status ({@code
 * PartialObjectMetadataList}): it still reads each object from etcd, but a check that only needs to
 * know which objects exist does not receive and decode every object whole. fabric8 has no call for
 * it, so the request goes through the client's own HTTP client (with its authentication and
 * Herald's API budget).
 *
 * <p>Not from the API server's watch cache "not older than" a version: a 1.20 server's cache of a
 * kind learns of newer versions only from writes of that kind, so for a kind that is not written it
 * waits 3 s and answers 504.
 */
public final class MetadataLists {
  /** Metadata only where the server can; a whole list otherwise (read the same way). */
  static final String ACCEPT =
      "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

  private static final ObjectMapper JSON = KubeJson.mapper();

  private MetadataLists() {}

  /**
   * @param resourceVersion the version of the list's answer
   * @param uids the uid of every object listed
   */
  public record Listed(String resourceVersion, Set<String> uids) {}

  /**
   * @param labelSelector null: every object of the namespace
   * @throws KubernetesClientException when the server refuses or does not answer in time
   */
  public static Listed list(
      KubernetesClient client,
      Class<? extends HasMetadata> kind,
      String namespace,
      String labelSelector,
      Duration timeout) {
    StringBuilder uri =
        new StringBuilder(client.getMasterUrl().toString().replaceAll("/+$", ""))
            .append("/apis/")
            .append(HasMetadata.getApiVersion(kind))
            .append("/namespaces/")
            .append(encode(namespace))
            .append('/')
            .append(HasMetadata.getPlural(kind));
    if (labelSelector != null) {
      uri.append("?labelSelector=").append(encode(labelSelector));
    }
    HttpRequest request =
        client
            .getHttpClient()
            .newHttpRequestBuilder()
            .uri(uri.toString())
            .setHeader("Accept", ACCEPT)
            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .build();
    HttpResponse<String> response;
    try {
      response =
          client
              .getHttpClient()
              .sendAsync(request, String.class)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while listing " + kind.getSimpleName());
    } catch (ExecutionException | TimeoutException e) {
      throw new KubernetesClientException(
          "listing " + kind.getSimpleName() + " failed: " + e.getMessage(), e);
    }
    if (!response.isSuccessful()) {
      throw new KubernetesClientException(
          "listing " + kind.getSimpleName() + ": HTTP " + response.code(), response.code(), null);
    }
    return read(response.body());
  }

  /** The list's version and uids, from a metadata-only or a whole list alike. */
  static Listed read(String body) {
    JsonNode list;
    try {
      list = JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new KubernetesClientException("an unreadable list: " + e.getMessage(), e);
    }
    Set<String> uids = new HashSet<>();
    for (JsonNode item : list.path("items")) {
      String uid = item.path("metadata").path("uid").asText(null);
      if (uid != null) {
        uids.add(uid);
      }
    }
    return new Listed(list.path("metadata").path("resourceVersion").asText(null), uids);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
