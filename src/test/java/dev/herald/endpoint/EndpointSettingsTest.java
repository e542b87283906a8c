package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.RetrySpec;
import dev.herald.api.v1alpha1.Schemas;
import dev.herald.api.v1alpha1.WebhookEndpointSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a schema of an older CRD (or none) let through is InvalidSpec, with the field named. */
class EndpointSettingsTest {
  private static WebhookEndpointSpec spec(String url) {
    WebhookEndpointSpec spec = new WebhookEndpointSpec();
    spec.setUrl(url);
    return spec;
  }

  @Test
  void aUrlOverTheLimitIsRefused() throws Exception {
    String base = "https://hooks.example.com/";
    String longest = base + "a".repeat(Schemas.URL_MAX_LENGTH - base.length());
    assertThat(EndpointSettings.of(spec(longest)).url()).isEqualTo(longest);
    assertThatThrownBy(() -> EndpointSettings.of(spec(longest + "a")))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining("spec.url")
        .hasMessageContaining("2048");
    assertThatThrownBy(() -> EndpointSettings.of(spec(base + "a".repeat(300_000))))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining("300026 characters");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://h.example.com:0/",
        "https://h.example.com:65536/",
        "https://h.example.com:99999/"
      })
  void aPortOutsideOneTo65535IsRefused(String url) {
    assertThatThrownBy(() -> EndpointSettings.of(spec(url)))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining("spec.url")
        .hasMessageContaining("1 to 65535");
    assertThat(Pattern.matches(Schemas.HTTP_URL, url))
        .as("the schema refuses %s too", url)
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://h.example.com:1/",
        "https://h.example.com:65535/x",
        "http://127.0.0.1:8080/hooks",
        "http://[::1]:443/",
        "https://h.example.com",
        "https://h.example.com/a?b=c#d"
      })
  void theSchemaAndTheOperatorAdmitOrdinaryUrls(String url) throws Exception {
    assertThat(Pattern.matches(Schemas.HTTP_URL, url)).isTrue();
    assertThat(EndpointSettings.of(spec(url)).url()).isEqualTo(url);
  }

  @Test
  void aHeaderThatCannotBeSentIsInvalidSpecNotDroppedAtSendTime() {
    WebhookEndpointSpec crlf = spec("https://h.example.com/");
    crlf.setHeaders(Map.of("X-Token", "abc\r\nX-Injected: 1"));
    assertThatThrownBy(() -> EndpointSettings.of(crlf))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining("spec.headers")
        .hasMessageContaining("X-Token")
        .hasMessageNotContaining("abc");

    WebhookEndpointSpec badName = spec("https://h.example.com/");
    badName.setHeaders(Map.of("X Team", "billing"));
    assertThatThrownBy(() -> EndpointSettings.of(badName))
        .hasMessageContaining("not an HTTP token");

    WebhookEndpointSpec latin = spec("https://h.example.com/");
    latin.setHeaders(Map.of("X-Name", "M\u00fcller"));
    assertThatThrownBy(() -> EndpointSettings.of(latin)).hasMessageContaining("X-Name");
  }

  @Test
  void tooManyHeadersAreRefused() throws Exception {
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; i < Schemas.MAX_HEADERS; i++) {
      headers.put("X-H" + i, "v");
    }
    WebhookEndpointSpec ok = spec("https://h.example.com/");
    ok.setHeaders(headers);
    assertThat(EndpointSettings.of(ok).headers()).hasSize(Schemas.MAX_HEADERS);
    headers.put("X-One-Too-Many", "v");
    WebhookEndpointSpec tooMany = spec("https://h.example.com/");
    tooMany.setHeaders(headers);
    assertThatThrownBy(() -> EndpointSettings.of(tooMany)).hasMessageContaining("at most 32");
  }

  @Test
  void aRetryDelayUnderOneSecondIsInvalidSpec() {
    WebhookEndpointSpec fast = spec("https://h.example.com/");
    RetrySpec retry = new RetrySpec();
    retry.setSchedule(List.of("0s x99999"));
    fast.setRetry(retry);
    assertThatThrownBy(() -> EndpointSettings.of(fast))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining("spec.retry")
        .hasMessageContaining("at least 1s");
  }
}
