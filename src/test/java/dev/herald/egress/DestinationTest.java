package dev.herald.egress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one rule for which URLs Herald connects to, and where. */
class DestinationTest {

  @ParameterizedTest
  @CsvSource({
    "https://hooks.example.com/x, hooks.example.com, 443, false",
    "http://hooks.example.com/x, hooks.example.com, 80, true",
    "HTTPS://hooks.example.com:8443, hooks.example.com, 8443, false",
    "https://[2001:db8::1]:9/, 2001:db8::1, 9, false",
    "http://127.0.0.1:65535/, 127.0.0.1, 65535, true"
  })
  void aUsableUrlNamesItsHostWithoutBracketsAndItsPort(
      String url, String host, int port, boolean plainHttp) {
    assertThat(Destination.of(url)).isEqualTo(new Destination.Target(host, port, plainHttp));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ftp://hooks.example.com/ | only http and https URLs can be delivered to",
        "hooks.example.com/x | only http and https URLs can be delivered to",
        "https:///x | the URL has no host",
        "https://user:pw@hooks.example.com/ | the URL must not carry credentials",
        "https://hooks.example.com:0/ | the URL has port 0; ports are 1 to 65535",
        "https://hooks.example.com:99999/ | the URL has port 99999; ports are 1 to 65535",
        "https://hooks example.com/ | the URL is not valid: Illegal character in authority",
      })
  void anUnusableUrlSaysWhy(String url, String reason) {
    assertThat(Destination.of(url)).isEqualTo(new Destination.Invalid(reason));
  }
}
