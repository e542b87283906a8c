package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReservedHeadersTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "webhook-signature",
        "Webhook-Id",
        "WEBHOOK-TIMESTAMP",
        "webhook-event-type",
        "webhook-anything",
        "Host",
        "content-type",
        "Content-Length",
        "Transfer-Encoding",
        "Connection",
        "user-agent",
        "Expect",
        "Upgrade",
        " host "
      })
  void signatureFramingAndConnectionHeadersAreReserved(String name) {
    assertThat(ReservedHeaders.isReserved(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Team", "Authorization", "X-Webhook-Source", "webhooks", "Accept"})
  void ordinaryHeadersAreNot(String name) {
    assertThat(ReservedHeaders.isReserved(name)).isFalse();
  }
}
