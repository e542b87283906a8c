package dev.herald.kube.client;

import dev.herald.kube.KubeJson;
import dev.herald.metrics.HeraldMetrics;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;

/**
 * The operator's Kubernetes client: fabric8's, with Herald's JSON limits ({@link KubeJson}), a
 * client-side request rate limit (fabric8 has none) and a count of its requests on Herald's
 * metrics.
 *
 * <p>Its writes carry the field manager {@value #FIELD_MANAGER}, so {@code kubectl get -o yaml
 * --show-managed-fields} says which fields Herald owns. fabric8 has no client-wide field manager
 * (only a per-call {@code fieldManager(..)}, easy to forget on one write); for a write without one
 * the API server takes the manager from the User-Agent, up to its first {@code /}. So the client
 * says {@code herald/<version>} instead of fabric8's {@code fabric8-kubernetes-client/<version>},
 * which names every write, the leader-election Lease and Events included.
 */
public final class KubeApiClient {
  /** The field manager of every write of the operator. */
  public static final String FIELD_MANAGER = "herald";

  /** What the API server sees (audit logs, managedFields); its part before '/' is the manager. */
  static final String USER_AGENT =
      FIELD_MANAGER
          + "/"
          + java.util.Objects.requireNonNullElse(
              KubeApiClient.class.getPackage().getImplementationVersion(), "dev");

  private KubeApiClient() {}

  /**
   * @param qps sustained requests a second; 0 or less: no limit
   * @param burst requests sent at once after a quiet spell
   */
  public static KubernetesClient build(
      Config config, double qps, int burst, HeraldMetrics metrics) {
    return build(config, qps, burst, 0, metrics);
  }

  /**
   * @param maxInFlight requests open at once at most (with {@code qps} above 0); 0: no bound
   */
  public static KubernetesClient build(
      Config config, double qps, int burst, int maxInFlight, HeraldMetrics metrics) {
    // a copy: the caller's Config (a test's mock client, say) keeps its own User-Agent
    Config own = new ConfigBuilder(config).withUserAgent(USER_AGENT).build();
    KubernetesClientBuilder builder =
        new KubernetesClientBuilder()
            .withConfig(own)
            .withKubernetesSerialization(KubeJson.serialization())
            .withHttpClientBuilderConsumer(
                b ->
                    b.addOrReplaceInterceptor(CountRequests.NAME, new CountRequests(metrics))
                        .addOrReplaceInterceptor(
                            TokenRefreshInterceptor.NAME,
                            new TokenlessRefresh(own, HttpClientUtils.getHttpClientFactory())));
    if (qps > 0) {
      builder.withHttpClientFactory(
          new ThrottledHttpClientFactory(
              HttpClientUtils.getHttpClientFactory(),
              new Throttle(TokenBucket.systemTime(qps, burst), maxInFlight, metrics)));
    }
    return builder.build();
  }
}
