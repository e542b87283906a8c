package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import dev.herald.testing.TestReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The trace context headers of an attempt, as the receiver sees them. */
class WebhookSenderTraceTest {
  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  @RegisterExtension static final SenderFixture fixture = SenderFixture.local();

  @Test
  void theTraceContextGoesInItsTwoHeaders() throws Exception {
    try (TestReceiver receiver = new TestReceiver()) {
      send(request(receiver.url(), Map.of()).withTrace(new TraceHeaders(TRACEPARENT, "rojo=1")));
      var got = receiver.received().get(0);
      assertThat(got.header("traceparent")).isEqualTo(TRACEPARENT);
      assertThat(got.header("tracestate")).isEqualTo("rojo=1");
    }
  }

  @Test
  void itReplacesAnEndpointsStaticTraceHeadersBothOfThem() throws Exception {
    try (TestReceiver receiver = new TestReceiver()) {
      Map<String, String> statics =
          Map.of(
              "Traceparent", "00-11111111111111111111111111111111-2222222222222222-01",
              "TraceState", "static=1");
      send(request(receiver.url(), statics).withTrace(new TraceHeaders(TRACEPARENT, null)));
      var got = receiver.received().get(0);
      assertThat(got.headers().getAll("traceparent")).containsExactly(TRACEPARENT);
      assertThat(got.headers().getAll("tracestate"))
          .as("a static tracestate must not ride on another trace")
          .isEmpty();

      // without a trace context of Herald's, an endpoint's static headers go as they always did
      send(request(receiver.url(), statics));
      assertThat(receiver.received().get(1).header("traceparent"))
          .isEqualTo("00-11111111111111111111111111111111-2222222222222222-01");
      assertThat(receiver.received().get(1).header("tracestate")).isEqualTo("static=1");
    }
  }

  @Test
  void noTraceContextNoTraceHeaders() throws Exception {
    try (TestReceiver receiver = new TestReceiver()) {
      send(request(receiver.url(), Map.of()));
      assertThat(receiver.received().get(0).headers().names())
          .doesNotContain("traceparent", "tracestate");
    }
  }

  private static WebhookRequest request(String url, Map<String, String> headers) {
    return new WebhookRequest(
        url,
        "msg_1",
        "order.created",
        "{}".getBytes(StandardCharsets.UTF_8),
        headers,
        List.of(SigningKey.parse(SecretGenerator.generate())),
        Duration.ofSeconds(5),
        Instant.now());
  }

  private static void send(WebhookRequest request) throws Exception {
    AttemptResult result =
        fixture.sender().send(request).toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertThat(result.succeeded()).as(result.message()).isTrue();
  }
}
