package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.ErrorClass;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Each failure comes with the fix the source pages pair it with. */
class FailureHintsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // the fix each source page gives for its failure, in the words a hint must carry
        "ConnectionFailed   |      | reachable from the cluster",
        "DnsFailure         |      | resolves in the cluster's DNS",
        "TlsError           |      | TLS 1.2 or later with a cipher suite in common",
        "Timeout            |      | answer 2xx at once",
        "Redirect           | 302  | set spec.url to the URL the redirect points to",
        "Http4xx            | 401  | signature over the raw request body",
        "Http4xx            | 403  | signature over the raw request body",
        "Http4xx            | 404  | the endpoint moved: edit spec.url",
        "Http4xx            | 405  | must accept POST",
        "Http4xx            | 413  | raise its body limit",
        "Http4xx            | 429  | rate limiting",
        "Http4xx            | 400  | read the response excerpt",
        "Http5xx            | 500  | read its logs",
        "Http5xx            | 503  | down or overloaded",
        "Gone               | 410  | 410 Gone to stop deliveries",
        "Blocked            |      | --egress-allow",
        "TokenRequestFailed |      | spec.auth.oauth2",
        "ProxyError         |      | the receiver never saw the request",
        "Aborted            | 500  | asked not to retry this message",
      })
  void eachClassHasTheFixOfTheSourcePages(ErrorClass errorClass, Integer status, String fix) {
    assertThat(FailureHints.of(errorClass, status)).contains(fix);
  }

  @ParameterizedTest
  @EnumSource(ErrorClass.class)
  void everyClassHasAShortHintWithoutAStatusCodeToo(ErrorClass errorClass) {
    String hint = FailureHints.of(errorClass, null);
    assertThat(hint).isNotBlank().hasSizeLessThanOrEqualTo(160).doesNotContain("\n");
  }

  @Test
  void hintsDifferBetweenClasses() {
    Set<String> seen = new HashSet<>();
    for (ErrorClass c : EnumSet.allOf(ErrorClass.class)) {
      assertThat(seen.add(FailureHints.of(c, null))).as(c.name()).isTrue();
    }
  }

  @Test
  void aFailureWithoutItsOwnHintGetsTheClassHintAndASuccessNone() {
    AttemptResult refused =
        new AttemptResult(
            "https://x.example/", null, ErrorClass.ConnectionFailed, "refused", null, 1, null);
    assertThat(refused.hint()).isEqualTo(FailureHints.of(ErrorClass.ConnectionFailed, null));
    AttemptResult ok = new AttemptResult("https://x.example/", 204, null, null, null, 1, null);
    assertThat(ok.hint()).isNull();
    assertThatThrownBy(() -> FailureHints.of(null, 200)).isInstanceOf(NullPointerException.class);
  }
}
