package dev.herald.http;

import static dev.herald.testing.TestReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Vert.x whose resolver asks only a closed UDP port on 127.0.0.1 and has an empty hosts file: no
 * DNS query can leave the machine, and every name fails to resolve.
 */
class WebhookSenderDnsTest {
  static Vertx vertx;
  static WebhookSender sender;

  @BeforeAll
  static void start() throws Exception {
    int closedUdpPort;
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
      closedUdpPort = socket.getLocalPort();
    }
    vertx =
        Vertx.vertx(
            new VertxOptions()
                .setAddressResolverOptions(
                    new AddressResolverOptions()
                        .setServers(List.of("127.0.0.1:" + closedUdpPort))
                        .setHostsValue(Buffer.buffer(""))
                        // no search domains from /etc/resolv.conf: one name, one query
                        .setSearchDomains(List.of())
                        .setQueryTimeout(500)
                        .setMaxQueries(1)));
    sender = new WebhookSender(vertx, SenderOptions.defaults());
  }

  @AfterAll
  static void stop() {
    sender.close();
    await(vertx.close());
  }

  @Test
  void unresolvableHostIsADnsFailure() throws Exception {
    WebhookRequest request =
        new WebhookRequest(
            "https://no-such-host.invalid/hooks",
            "msg_dns",
            "order.created",
            "{}".getBytes(),
            Map.of(),
            List.of(SigningKey.parse(SecretGenerator.generate())),
            Duration.ofSeconds(5),
            Instant.now());

    AttemptResult result = sender.send(request).toCompletableFuture().get(15, TimeUnit.SECONDS);

    assertThat(result.errorClass()).isEqualTo(ErrorClass.DnsFailure);
    assertThat(result.statusCode()).isNull();
    assertThat(result.message()).startsWith("DNS lookup failed").contains("no-such-host.invalid");
  }
}
