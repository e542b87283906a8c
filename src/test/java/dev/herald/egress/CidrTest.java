package dev.herald.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  /** IP text to an address with no lookup; fails the test instead of ever asking DNS. */
  static InetAddress ip(String text) {
    InetAddress address = IpLiteral.parse(text);
    assertThat(address).as("not an IP literal: " + text).isNotNull();
    return address;
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.0.0.0, true",
    "10.0.0.0/8, 10.255.255.255, true",
    "10.0.0.0/8, 11.0.0.0, false",
    "10.0.0.0/8, 9.255.255.255, false",
    "172.16.0.0/12, 172.31.255.255, true",
    "172.16.0.0/12, 172.32.0.0, false",
    "100.64.0.0/10, 100.127.255.255, true",
    "100.64.0.0/10, 100.128.0.0, false",
    "0.0.0.0/0, 93.184.216.34, true",
    "1.2.3.4, 1.2.3.4, true",
    "1.2.3.4, 1.2.3.5, false",
    "fd00::/8, fd12:3456::1, true",
    "fd00::/8, fe00::1, false",
    "fc00::/7, fdff:ffff::1, true",
    "fe80::/10, febf::1, true",
    "fe80::/10, fec0::1, false",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "::1/128, ::1, true",
    "::/0, 2606:2800:220:1::, true",
    "::/0, 93.184.216.34, false",
    "0.0.0.0/0, ::1, false",
  })
  void containsIsExactAtTheEdgesAndNeverMixesFamilies(
      String cidr, String address, boolean expected) {
    assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.0.0.0/8",
    "1.2.3.4, 1.2.3.4/32",
    "FD00::/8, fd00::/8",
    "2001:0DB8:0000:0000::/32, 2001:db8::/32",
    "::1, ::1/128",
    "::ffff:0:0/96, ::ffff:0.0.0.0/96",
    "' 192.168.0.0/16 ', 192.168.0.0/16",
  })
  void printsCanonically(String text, String canonical) {
    assertThat(Cidr.parse(text)).hasToString(canonical.replace("::ffff:0.0.0.0", "::ffff:0:0"));
    assertThat(Cidr.parse(text)).isEqualTo(Cidr.parse(canonical));
  }

  @Test
  void hostBitsBelowThePrefixAreAnErrorThatSuggestsTheNetwork() {
    assertThatThrownBy(() -> Cidr.parse("10.1.2.3/8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("did you mean 10.0.0.0/8");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10.0.0.0/",
        "10.0.0.0/33",
        "::/129",
        "10.0.0/8",
        "10.0.0.0/-1",
        "10.0.0.0/8/8",
        "example.com/8",
        "256.0.0.0/8",
        "010.0.0.0/8",
        "1.2.3.4/ 8",
        "[::1]/128",
        "fe80::1%eth0/128",
        "1::2::3/64"
      })
  void malformedTextIsRejected(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void familiesAndPrefixAreExposed() {
    assertThat(Cidr.parse("10.0.0.0/8").isIpv4()).isTrue();
    assertThat(Cidr.parse("fd00::/8").isIpv4()).isFalse();
    assertThat(Cidr.parse("fd00::/8").prefixLength()).isEqualTo(8);
  }
}
