package dev.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.v1alpha1.EndpointRef;
import dev.herald.api.v1alpha1.HistorySpec;
import dev.herald.api.v1alpha1.RetrySpec;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliverySpec;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointSpec;
import dev.herald.api.v1alpha1.WebhookEvent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The bench's own side of the API server: a counted fabric8 client, namespaces, endpoints,
 * deliveries.
 */
final class Cluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicLong requests = new AtomicLong();
  final KubernetesClient client;

  Cluster(int concurrency) {
    Config config =
        new ConfigBuilder(Config.autoConfigure(null))
            // room for every create in flight plus the bench's watches, so the client never queues
            .withMaxConcurrentRequests(concurrency * 2 + 16)
            .withMaxConcurrentRequestsPerHost(concurrency * 2 + 16)
            .withRequestTimeout(120_000)
            .build();
    Interceptor counter =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            requests.incrementAndGet();
          }
        };
    client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientBuilderConsumer(
                b -> b.addOrReplaceInterceptor("bench-request-counter", counter))
            .build();
  }

  /** Requests this bench has sent to the API server so far. */
  long requests() {
    return requests.get();
  }

  String serverVersion() {
    try {
      return client.getKubernetesVersion().getGitVersion();
    } catch (KubernetesClientException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  String newNamespace(String scenario) {
    String name = "bench-" + scenario + "-" + UUID.randomUUID().toString().substring(0, 5);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  List<String> createEndpoints(
      String namespace, int count, IntFunction<String> url, String timeout, Integer keep) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(createEndpoint(namespace, "ep-" + i, url.apply(i), timeout, keep));
    }
    return names;
  }

  /**
   * An endpoint with the default retry schedule; {@code keep} sets spec.history.keep when not null.
   */
  String createEndpoint(String namespace, String name, String url, String timeout, Integer keep) {
    return createEndpoint(namespace, name, url, timeout, keep, null);
  }

  /** As above, with spec.retry.schedule when {@code schedule} is not null. */
  String createEndpoint(
      String namespace,
      String name,
      String url,
      String timeout,
      Integer keep,
      List<String> schedule) {
    WebhookEndpoint endpoint = new WebhookEndpoint();
    endpoint.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    WebhookEndpointSpec spec = new WebhookEndpointSpec();
    spec.setUrl(url);
    spec.setTimeout(timeout);
    if (keep != null) {
      HistorySpec history = new HistorySpec();
      history.setKeep(keep);
      spec.setHistory(history);
    }
    if (schedule != null) {
      RetrySpec retry = new RetrySpec();
      retry.setSchedule(schedule);
      spec.setRetry(retry);
    }
    endpoint.setSpec(spec);
    client.resource(endpoint).create();
    return name;
  }

  /** Waits until every endpoint has its generated signing Secret and a Ready=True condition. */
  void awaitEndpointsReady(String namespace, List<String> names, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long ready =
          client.resources(WebhookEndpoint.class).inNamespace(namespace).list().getItems().stream()
              .filter(e -> names.contains(e.getMetadata().getName()))
              .filter(
                  e ->
                      e.getStatus() != null
                          && e.getStatus().getSigningSecretName() != null
                          && readyTrue(e.getStatus().getConditions()))
              .count();
      if (ready == names.size()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            ready
                + " of "
                + names.size()
                + " endpoints Ready in "
                + namespace
                + " after "
                + timeout);
      }
      Bench.pause(250);
    }
  }

  private static boolean readyTrue(List<Condition> conditions) {
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** A delivery whose webhook-id is its name, with an order-shaped payload of about 300 bytes. */
  static WebhookDelivery delivery(String namespace, String name, String endpoint, int i) {
    WebhookDelivery delivery = new WebhookDelivery();
    delivery.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    WebhookDeliverySpec spec = new WebhookDeliverySpec();
    spec.setEndpointRef(new EndpointRef(endpoint));
    spec.setEventType("order.created");
    spec.setDeliveryId(name);
    ObjectNode payload = JSON.createObjectNode();
    payload
        .put("orderId", i)
        .put("customer", "cus_" + (100000 + i))
        .put("currency", "EUR")
        .put("total", "42.00");
    payload
        .putArray("lines")
        .addObject()
        .put("sku", "SKU-" + (i % 97))
        .put("quantity", 1 + i % 3)
        .put("price", "14.00");
    payload.put("createdAt", "2026-01-01T00:00:00Z").put("note", "benchmark delivery " + i);
    spec.setPayload(payload);
    delivery.setSpec(spec);
    return delivery;
  }

  /**
   * Removes everything the scenario left: finalizers first (the operator is stopped by now), then
   * collections, then the namespace; without a namespace controller (the default kube-lab has no
   * kube-controller-manager) the bench finalizes the namespace itself, as that controller would.
   */
  /**
   * Deletes a scenario's namespace and says how long it took, or that --keep-namespaces kept it.
   */
  void deleteUnlessKept(String namespace, boolean keep, Consumer<String> progress) {
    if (keep) {
      progress.accept("namespace " + namespace + " kept (--keep-namespaces)");
      return;
    }
    long start = System.nanoTime();
    deleteNamespace(namespace);
    progress.accept(
        "namespace "
            + namespace
            + " deleted in "
            + Stats.fmt((System.nanoTime() - start) / 1e9, 1)
            + " s");
  }

  /** WebhookDeliveries in the namespace, from one list of a single item and its remaining count. */
  long countDeliveries(String namespace) {
    var list =
        client
            .resources(WebhookDelivery.class)
            .inNamespace(namespace)
            .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
    Long remaining = list.getMetadata().getRemainingItemCount();
    return list.getItems().size() + (remaining == null ? 0 : remaining);
  }

  void deleteNamespace(String namespace) {
    for (WebhookEndpoint endpoint :
        client.resources(WebhookEndpoint.class).inNamespace(namespace).list().getItems()) {
      if (endpoint.getMetadata().getFinalizers() != null
          && !endpoint.getMetadata().getFinalizers().isEmpty()) {
        client
            .resources(WebhookEndpoint.class)
            .inNamespace(namespace)
            .withName(endpoint.getMetadata().getName())
            .edit(
                e -> {
                  e.getMetadata().setFinalizers(null);
                  return e;
                });
      }
    }
    client.resources(WebhookEvent.class).inNamespace(namespace).delete();
    deleteCollection(
        () -> client.resources(WebhookDelivery.class).inNamespace(namespace).delete(),
        () ->
            client
                .resources(WebhookDelivery.class)
                .inNamespace(namespace)
                .list(new ListOptionsBuilder().withLimit(1L).build())
                .getItems()
                .isEmpty());
    client.resources(WebhookEndpoint.class).inNamespace(namespace).delete();
    client.resources(Secret.class).inNamespace(namespace).delete();
    client.resources(Event.class).inNamespace(namespace).delete();
    client.v1().events().inNamespace(namespace).delete();
    client.namespaces().withName(namespace).delete();
    // A namespace controller sets status conditions within a moment and then removes the
    // namespace; when none shows up, nothing ever will.
    if (waitFor(Duration.ofSeconds(3), () -> gone(namespace) || controlled(namespace))
        && waitFor(Duration.ofSeconds(120), () -> gone(namespace))) {
      return;
    }
    if (!gone(namespace)) {
      client.raw(
          "/api/v1/namespaces/" + namespace + "/finalize",
          "PUT",
          Map.of(
              "apiVersion",
              "v1",
              "kind",
              "Namespace",
              "metadata",
              Map.of("name", namespace),
              "spec",
              Map.of("finalizers", List.of())));
    }
  }

  private boolean gone(String namespace) {
    return client.namespaces().withName(namespace).get() == null;
  }

  private boolean controlled(String namespace) {
    var ns = client.namespaces().withName(namespace).get();
    return ns != null
        && ns.getStatus() != null
        && ns.getStatus().getConditions() != null
        && !ns.getStatus().getConditions().isEmpty();
  }

  private static boolean waitFor(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Bench.pause(250);
    }
    return true;
  }

  /** A delete-collection of 50k objects can outlast one request's timeout: repeat until empty. */
  private static void deleteCollection(Runnable delete, BooleanSupplier empty) {
    for (int i = 0; i < 20 && !empty.getAsBoolean(); i++) {
      try {
        delete.run();
      } catch (KubernetesClientException e) {
        Bench.pause(2000);
      }
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
