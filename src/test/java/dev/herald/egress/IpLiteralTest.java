package dev.herald.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "::1, ::1",
    "[::1], ::1",
    "::, ::",
    "1::, 1::",
    "2606:2800:220:1::, 2606:2800:220:1::",
    "2606:2800:0220:0001:0000:0000:0000:0000, 2606:2800:220:1::",
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "FD00:EC2::254, fd00:ec2::254",
    "::7f00:1, ::7f00:1",
    "::127.0.0.1, ::7f00:1",
    "64:ff9b::10.0.0.1, 64:ff9b::a00:1",
    "2002:7f00:1::, 2002:7f00:1::",
  })
  void literalsParseAndPrintInRfc5952Form(String text, String printed) {
    InetAddress address = IpLiteral.parse(text);

    assertThat(address).isNotNull();
    assertThat(IpLiteral.format(address)).isEqualTo(printed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"::ffff:127.0.0.1", "[::ffff:7f00:1]"})
  void ipv4MappedTextComesBackAsTheIpv4Address(String text) {
    // The JDK does this for 16 mapped bytes; the policy relies on seeing the IPv4 address.
    assertThat(IpLiteral.parse(text)).isInstanceOf(Inet4Address.class).hasToString("/127.0.0.1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "example.com",
        "127.1",
        "0177.0.0.1",
        "0x7f.0.0.1",
        "2130706433",
        "1.2.3",
        "1.2.3.4.5",
        "256.0.0.1",
        "01.2.3.4",
        "1.2.3.4 ",
        "",
        ":::",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "12345::",
        "fe80::1%eth0",
        "[fe80::1%25eth0]",
        "::g",
        "1:2:3:4:5:6:7::8",
        "[1.2.3.4]",
        "[::1",
        "::1]",
        "1:2:3:4:5:6:1.2.3.4:5"
      })
  void anythingElseIsNotALiteral(String text) {
    assertThat(IpLiteral.parse(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "1::1.2.3.4"})
  void anIpv4TailCountsAsTwoGroups(String text) {
    assertThat(IpLiteral.parse(text)).isInstanceOf(Inet6Address.class);
  }
}
