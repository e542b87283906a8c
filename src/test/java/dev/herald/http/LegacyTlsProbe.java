package dev.herald.http;

import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import dev.herald.testing.OfflineVertx;
import dev.herald.testing.TestCerts;
import dev.herald.testing.TestReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs in a JVM of its own that {@link LegacyTlsServerTest} starts with TLS 1.0 and 1.1 taken out
 * of {@code jdk.tls.disabledAlgorithms}, so that JSSE would speak them: for each protocol named on
 * the command line it starts a receiver speaking only that protocol, checks with a client that
 * enables it that the receiver really answers over it, then sends one webhook with Herald's sender
 * and prints one line: {@code probe <protocol> control=<status> herald=<class> received=<requests
 * at /hooks> message=<message>}.
 */
final class LegacyTlsProbe {
  private LegacyTlsProbe() {}

  public static void main(String[] protocols) throws Exception {
    Vertx vertx = OfflineVertx.create("");
    try {
      TestCerts.Issued ca = TestCerts.ca("Herald legacy TLS test CA");
      TestCerts.Issued certificate = TestCerts.server(ca, TestCerts.ip("127.0.0.1"));
      for (String protocol : protocols) {
        HttpServerOptions only =
            new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(certificate.keyCertOptions())
                .setEnabledSecureTransportProtocols(Set.of(protocol));
        try (TestReceiver receiver =
                TestReceiver.start(vertx, only, req -> req.response().end("ok"));
            WebhookSender sender =
                new WebhookSender(
                    vertx,
                    SenderOptions.defaults()
                        .withEgressPolicy(TestReceiver.LOOPBACK)
                        .withTrustOptions(ca.trustOptions()))) {
          HttpClient control =
              vertx.createHttpClient(
                  new HttpClientOptions()
                      .setSsl(true)
                      .setVerifyHost(true)
                      .setTrustOptions(ca.trustOptions())
                      .setEnabledSecureTransportProtocols(Set.of(protocol)));
          String controlStatus;
          try {
            int status =
                TestReceiver.await(
                    control
                        .request(HttpMethod.POST, receiver.port(), "127.0.0.1", "/control")
                        .compose(r -> r.send().map(HttpClientResponse::statusCode)));
            controlStatus = Integer.toString(status);
          } catch (IllegalStateException e) {
            controlStatus = "failed(" + e.getCause() + ")";
          } finally {
            TestReceiver.await(control.close());
          }
          WebhookRequest request =
              new WebhookRequest(
                  receiver.url(),
                  "msg_legacy_tls",
                  "order.created",
                  "{}".getBytes(StandardCharsets.UTF_8),
                  Map.of(),
                  List.of(SigningKey.parse(SecretGenerator.generate())),
                  Duration.ofSeconds(5),
                  Instant.now());
          AttemptResult result =
              sender.send(request).toCompletableFuture().get(15, TimeUnit.SECONDS);
          long hooks = receiver.received().stream().filter(r -> r.uri().equals("/hooks")).count();
          System.out.println(
              "probe "
                  + protocol
                  + " control="
                  + controlStatus
                  + " herald="
                  + (result.succeeded() ? "HTTP" + result.statusCode() : result.errorClass())
                  + " received="
                  + hooks
                  + " message="
                  + result.message());
        }
      }
    } finally {
      TestReceiver.await(vertx.close());
    }
  }
}
