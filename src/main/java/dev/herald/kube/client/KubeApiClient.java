package dev.herald.kube.client;

import dev.herald.kube.KubeJson;
import dev.herald.metrics.HeraldMetrics;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;

/**
 * The operator's Kubernetes client: fabric8's, with Herald's JSON limits ({@link KubeJson}), a
 * client-side request rate limit (fabric8 has none) and a count of its requests on Herald's
 * metrics.
 */
public final class KubeApiClient {
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
    KubernetesClientBuilder builder =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withKubernetesSerialization(KubeJson.serialization())
            .withHttpClientBuilderConsumer(
                b -> b.addOrReplaceInterceptor(CountRequests.NAME, new CountRequests(metrics)));
    if (qps > 0) {
      builder.withHttpClientFactory(
          new ThrottledHttpClientFactory(
              HttpClientUtils.getHttpClientFactory(),
              new Throttle(TokenBucket.systemTime(qps, burst), maxInFlight, metrics)));
    }
    return builder.build();
  }
}
