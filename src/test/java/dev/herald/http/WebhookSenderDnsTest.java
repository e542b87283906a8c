package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Vert.x whose resolver asks only a closed UDP port on 127.0.0.1 and has an empty hosts file
 * ({@link dev.herald.testing.OfflineVertx}): no DNS query can leave the machine, and every name
 * fails to resolve.
 */
class WebhookSenderDnsTest {
  @RegisterExtension
  static final SenderFixture fixture = SenderFixture.offline(SenderOptions::defaults);

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

    AttemptResult result =
        fixture.sender().send(request).toCompletableFuture().get(15, TimeUnit.SECONDS);

    assertThat(result.errorClass()).isEqualTo(ErrorClass.DnsFailure);
    assertThat(result.statusCode()).isNull();
    assertThat(result.message()).startsWith("DNS lookup failed").contains("no-such-host.invalid");
  }
}
