package dev.herald.kube.client;

import dev.herald.metrics.HeraldMetrics;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

/**
 * Counts each request as it goes to the API server, by verb and resource. An interceptor sees every
 * send, fabric8's own retries and WebSocket watches included, after any throttling.
 */
final class CountRequests implements Interceptor {
  static final String NAME = "herald-api-requests";
  private final HeraldMetrics metrics;

  CountRequests(HeraldMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    ApiCall call = ApiCall.of(request.method(), request.uri());
    metrics.kubeApiRequest(call.verb(), call.resource());
  }
}
