package dev.herald.kube.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.metrics.HeraldMetrics;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The throttle on a stopped clock: a request over the limit is handed back unsent, without blocking
 * the caller, and sent by the timer once its token is due; watches pass at once.
 */
class ThrottleTest {
  private static final String DELIVERIES =
      "https://api:6443/apis/herald.dev/v1alpha1/namespaces/shop/webhookdeliveries";
  private final AtomicLong nanos = new AtomicLong();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Throttle throttle =
      new Throttle(new TokenBucket(1, 1, nanos::get), new HeraldMetrics(registry));
  private final AtomicInteger sent = new AtomicInteger();

  @AfterEach
  void close() {
    throttle.close();
  }

  private static HttpRequest request(String url) {
    return new StandardHttpRequest.Builder().uri(URI.create(url)).build();
  }

  private CompletableFuture<String> send(String url) {
    return throttle.send(
        request(url),
        () -> {
          sent.incrementAndGet();
          return CompletableFuture.completedFuture("ok");
        });
  }

  @Test
  void overTheLimitTheCallerGetsAFutureAndTheTimerSendsLater() {
    assertThat(send(DELIVERIES + "/d1")).isCompletedWithValue("ok"); // the burst

    CompletableFuture<String> second = send(DELIVERIES + "/d2");

    // returned at once, not sent yet: its token is due in one second (1 qps)
    assertThat(second).isNotDone();
    assertThat(sent).hasValue(1);
    await().atMost(Duration.ofSeconds(5)).until(second::isDone);
    assertThat(second).isCompletedWithValue("ok");
    assertThat(sent).hasValue(2);
    var waited = registry.get("herald.kube.api.throttled").timer();
    assertThat(waited.count()).isEqualTo(2);
    assertThat(waited.max(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isBetween(900.0, 5000.0); // about the one second its token took
  }

  @Test
  void watchesAreNeverHeldBack() {
    send(DELIVERIES + "/d1");
    send(DELIVERIES + "/d2"); // the bucket now owes a token

    assertThat(send(DELIVERIES + "?watch=true&resourceVersion=5")).isCompletedWithValue("ok");
    assertThat(sent).hasValue(2);
  }

  @Test
  void leaseRenewalsAreNeverHeldBack() {
    send(DELIVERIES + "/d1");
    send(DELIVERIES + "/d2");

    assertThat(
            send(
                "https://api:6443/apis/coordination.k8s.io/v1/namespaces/herald/leases/herald-operator"))
        .isCompletedWithValue("ok");
    assertThat(sent).hasValue(2);
  }

  @Test
  void aRequestCancelledWhileWaitingIsNotSent() {
    send(DELIVERIES + "/d1");
    CompletableFuture<String> waiting = send(DELIVERIES + "/d2");
    CompletableFuture<String> after = send(DELIVERIES + "/d3");

    waiting.cancel(false); // as fabric8 does when the request timeout passes
    await().atMost(Duration.ofSeconds(5)).until(after::isDone);
    assertThat(sent).hasValue(2); // d1 and d3
  }

  @Test
  void waitingRequestsAreServedRoundRobinPerNamespace() {
    // a real clock at 10 requests a second: the line drains in about two seconds
    Throttle fast =
        new Throttle(new TokenBucket(10, 1, System::nanoTime), new HeraldMetrics(registry));
    try {
      List<String> order = new CopyOnWriteArrayList<>();
      List<CompletableFuture<String>> all = new ArrayList<>();
      String noisy =
          "https://api:6443/apis/herald.dev/v1alpha1/namespaces/noisy/webhookdeliveries/";
      String quiet =
          "https://api:6443/apis/herald.dev/v1alpha1/namespaces/quiet/webhookdeliveries/";
      for (int i = 0; i < 20; i++) {
        all.add(
            sendVia(
                fast,
                noisy + "n" + i,
                order)); // the first takes the burst, the others wait in line
      }
      all.add(sendVia(fast, quiet + "q0", order));
      all.add(sendVia(fast, quiet + "q1", order));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> all.stream().allMatch(CompletableFuture::isDone));

      assertThat(order).hasSize(22);
      // n0 was sent at once; then the noisy and the quiet namespace take turns: first come, first
      // served would send q0 21st
      assertThat(order.subList(0, 5)).containsExactly("n0", "n1", "q0", "n2", "q1");
    } finally {
      fast.close();
    }
  }

  @Test
  void deletionsTakeTurnsWithTheirNamespacesWritesAsALineOfTheirOwn() {
    Throttle fast =
        new Throttle(new TokenBucket(10, 1, System::nanoTime), new HeraldMetrics(registry));
    try {
      List<String> order = new CopyOnWriteArrayList<>();
      List<CompletableFuture<String>> all = new ArrayList<>();
      String shop = "https://api:6443/apis/herald.dev/v1alpha1/namespaces/shop/webhookdeliveries/";
      for (int i = 0; i < 10; i++) {
        all.add(sendVia(fast, "PATCH", shop + "w" + i, order));
      }
      for (int i = 0; i < 3; i++) {
        all.add(sendVia(fast, "DELETE", shop + "d" + i, order));
      }

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> all.stream().allMatch(CompletableFuture::isDone));

      // in the namespace's own line, retention's deletes would go after every write before them
      assertThat(order.subList(0, 7)).containsExactly("w0", "w1", "d0", "w2", "d1", "w3", "d2");
    } finally {
      fast.close();
    }
  }

  @Test
  void beyondTheOpenRequestsBoundRequestsWaitAndAreServedRoundRobinPerNamespace() {
    // tokens are plenty: only the bound of two open requests holds anything back
    Throttle bounded =
        new Throttle(new TokenBucket(1000, 1000, System::nanoTime), 2, new HeraldMetrics(registry));
    try {
      List<String> sentNames = new CopyOnWriteArrayList<>();
      java.util.Map<String, CompletableFuture<String>> open =
          new java.util.concurrent.ConcurrentHashMap<>();
      java.util.function.Function<String, CompletableFuture<String>> send =
          name ->
              bounded.send(
                  request(
                      "https://api:6443/api/v1/namespaces/"
                          + name.substring(0, name.indexOf('-'))
                          + "/secrets/"
                          + name),
                  () -> {
                    sentNames.add(name);
                    CompletableFuture<String> response = new CompletableFuture<>();
                    open.put(name, response);
                    return response;
                  });
      List<CompletableFuture<String>> all = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        all.add(send.apply("noisy-" + i));
      }
      all.add(send.apply("quiet-0"));

      assertThat(sentNames).containsExactly("noisy-0", "noisy-1"); // two open; the others wait
      open.get("noisy-0").complete("ok");
      assertThat(sentNames).containsExactly("noisy-0", "noisy-1", "noisy-2");
      open.get("noisy-1").complete("ok");
      // first come, first served would send quiet-0 after the other seven noisy ones
      assertThat(sentNames).containsExactly("noisy-0", "noisy-1", "noisy-2", "quiet-0");
      assertThat(all.get(0)).isCompletedWithValue("ok");
      assertThat(all.get(10)).isNotDone();
      open.get("quiet-0").complete("ok");
      assertThat(all.get(10)).isCompletedWithValue("ok");
    } finally {
      bounded.close();
    }
  }

  private static CompletableFuture<String> sendVia(
      Throttle throttle, String url, List<String> order) {
    return sendVia(throttle, "GET", url, order);
  }

  private static CompletableFuture<String> sendVia(
      Throttle throttle, String method, String url, List<String> order) {
    return throttle.send(
        new StandardHttpRequest.Builder().uri(URI.create(url)).method(method, null, null).build(),
        () -> {
          order.add(url.substring(url.lastIndexOf('/') + 1));
          return CompletableFuture.completedFuture("ok");
        });
  }
}
