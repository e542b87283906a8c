package dev.herald.egress;

import static dev.herald.egress.CidrTest.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.egress.EgressPolicy.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pure policy decisions on address values: nothing here resolves a name or opens a socket. */
class EgressPolicyTest {
  static final EgressPolicy DEFAULTS = EgressPolicy.defaults();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "93.184.216.34",
        "1.1.1.1",
        "8.8.8.8",
        "2606:2800:220:1::",
        "2a00:1450:4001:82b::200e",
        // Next to refused ranges, on the allowed side of the edge.
        "9.255.255.255",
        "11.0.0.0",
        "100.63.255.255",
        "100.128.0.0",
        "126.255.255.255",
        "128.0.0.0",
        "169.253.255.255",
        "169.255.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "192.167.255.255",
        "192.169.0.0",
        "192.0.1.0",
        "192.0.3.0",
        "198.17.255.255",
        "198.20.0.0",
        "223.255.255.255",
        "fbff:ffff::1",
        "2001:1::1",
        "2001:db9::1",
        "2003::1",
        "168.63.129.15",
        "168.63.129.17",
        "192.88.98.255",
        "192.88.100.0",
        "2001:2:1::1",
        "2001:f::1",
        "2001:20::1",
        // Embedded IPv4 forms of a public address are as good as the address.
        "64:ff9b::5db8:d822",
        "64:ff9b::93.184.216.34",
        "64:ff9b:1::5db8:d822",
        "2002:5db8:d822::1",
        "::ffff:93.184.216.34",
        "::93.184.216.34",
        "::ffff:0:93.184.216.34",
        "::ffff:0:5db8:d822"
      })
  void publicAddressesAreAllowed(String address) {
    Decision decision = DEFAULTS.check("hooks.example.com", ip(address));

    assertThat(decision.allowed()).as(decision.reason()).isTrue();
    assertThat(decision.reason()).isNull();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // every built-in range, with an address at its low and high edge
        "0.0.0.0          | unspecified (\"this network\") (0.0.0.0/8)",
        "0.255.255.255    | unspecified (\"this network\") (0.0.0.0/8)",
        "10.0.0.0         | private (RFC 1918) (10.0.0.0/8)",
        "10.255.255.255   | private (RFC 1918) (10.0.0.0/8)",
        "100.64.0.0       | carrier-grade NAT shared space (100.64.0.0/10)",
        "100.127.255.255  | carrier-grade NAT shared space (100.64.0.0/10)",
        "127.0.0.1        | loopback (127.0.0.0/8)",
        "127.255.255.255  | loopback (127.0.0.0/8)",
        "169.254.0.1      | link-local (169.254.0.0/16)",
        "169.254.169.254  | the cloud metadata service (link-local) (169.254.169.254/32)",
        "172.16.0.0       | private (RFC 1918) (172.16.0.0/12)",
        "172.31.255.255   | private (RFC 1918) (172.16.0.0/12)",
        "192.0.0.8        | reserved for IETF protocol assignments (192.0.0.0/24)",
        "192.0.2.1        | reserved for documentation (192.0.2.0/24)",
        "192.168.0.1      | private (RFC 1918) (192.168.0.0/16)",
        "192.168.255.255  | private (RFC 1918) (192.168.0.0/16)",
        "198.18.0.0       | reserved for benchmarking (198.18.0.0/15)",
        "198.19.255.255   | reserved for benchmarking (198.18.0.0/15)",
        "198.51.100.7     | reserved for documentation (198.51.100.0/24)",
        "203.0.113.9      | reserved for documentation (203.0.113.0/24)",
        "224.0.0.1        | multicast (224.0.0.0/4)",
        "239.255.255.250  | multicast (224.0.0.0/4)",
        "240.0.0.1        | reserved (240.0.0.0/4)",
        "255.255.255.254  | reserved (240.0.0.0/4)",
        "255.255.255.255  | broadcast (255.255.255.255/32)",
        "168.63.129.16    | the Azure platform service (WireServer) (168.63.129.16/32)",
        "192.88.99.0      | the deprecated 6to4 relay anycast (192.88.99.0/24)",
        "192.88.99.255    | the deprecated 6to4 relay anycast (192.88.99.0/24)",
        "2001:2::        | reserved for benchmarking (2001:2::/48)",
        "2001:2:0:ffff::1 | reserved for benchmarking (2001:2::/48)",
        "2001:10::1      | ORCHID (deprecated, not routable) (2001:10::/28)",
        "2001:1f:ffff::1 | ORCHID (deprecated, not routable) (2001:10::/28)",
        ":: | unspecified (::/128)",
        "::1 | loopback (::1/128)",
        "100::1 | reserved for discard (100::/64)",
        "2001::1 | Teredo, whose real target cannot be checked (2001::/32)",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo, whose real target cannot be checked (2001::/32)",
        "2001:db8::1 | reserved for documentation (2001:db8::/32)",
        "3fff::1 | reserved for documentation (3fff::/20)",
        "fc00::1 | private (unique local) (fc00::/7)",
        "fd12:3456:789a::1 | private (unique local) (fc00::/7)",
        "fd00:ec2::254 | the AWS metadata service (IPv6) (fd00:ec2::254/128)",
        "fe80::1 | link-local (fe80::/10)",
        "febf:ffff::1 | link-local (fe80::/10)",
        "fec0::1 | site-local (deprecated, private) (fec0::/10)",
        "ff02::1 | multicast (ff00::/8)",
        "ff05::1:3 | multicast (ff00::/8)",
      })
  void everyBuiltInRangeIsRefusedAndNamed(String address, String description) {
    Decision decision = DEFAULTS.check(address, ip(address));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason())
        .isEqualTo(
            IpLiteral.format(ip(address))
                + " is "
                + description
                + "; allow it with --egress-allow");
  }

  @Test
  void theMessageNamesTheHostWhatItResolvedToAndTheRange() {
    assertThat(DEFAULTS.check("127.0.0.1", ip("127.0.0.1")).reason())
        .isEqualTo("127.0.0.1 is loopback (127.0.0.0/8); allow it with --egress-allow");
    assertThat(DEFAULTS.check("billing.internal", ip("10.1.2.3")).reason())
        .isEqualTo(
            "billing.internal resolves to 10.1.2.3, which is private (RFC 1918) (10.0.0.0/8); "
                + "allow it with --egress-allow");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // IPv4-mapped: the JDK hands these back as the IPv4 address itself
        "::ffff:127.0.0.1 | 127.0.0.1 is loopback (127.0.0.0/8)",
        "::ffff:a9fe:a9fe | 169.254.169.254 is the cloud metadata service (link-local) (169.254.169.254/32)",
        "::ffff:10.0.0.1 | 10.0.0.1 is private (RFC 1918) (10.0.0.0/8)",
        // SIIT IPv4-translated (RFC 2765): a stateless translator forwards it to the IPv4 address
        "::ffff:0:127.0.0.1 | ::ffff:0:7f00:1 is SIIT IPv4-translated of 127.0.0.1, which is loopback (127.0.0.0/8)",
        "::ffff:0:a9fe:a9fe | ::ffff:0:a9fe:a9fe is SIIT IPv4-translated of 169.254.169.254, which is the cloud metadata service",
        "::ffff:0:10.1.2.3 | ::ffff:0:a01:203 is SIIT IPv4-translated of 10.1.2.3, which is private (RFC 1918) (10.0.0.0/8)",
        "::ffff:0:168.63.129.16 | ::ffff:0:a83f:8110 is SIIT IPv4-translated of 168.63.129.16, which is the Azure platform service",
        // IPv4-compatible (deprecated, still routable by some stacks)
        "::127.0.0.1 | ::7f00:1 is IPv4-compatible of 127.0.0.1, which is loopback (127.0.0.0/8)",
        "::a9fe:a9fe | ::a9fe:a9fe is IPv4-compatible of 169.254.169.254, which is the cloud metadata service",
        // NAT64, well-known and local-use prefixes
        "64:ff9b::127.0.0.1 | 64:ff9b::7f00:1 is NAT64 of 127.0.0.1, which is loopback (127.0.0.0/8)",
        "64:ff9b::a9fe:a9fe | 64:ff9b::a9fe:a9fe is NAT64 of 169.254.169.254, which is the cloud metadata service",
        "64:ff9b::c0a8:1 | 64:ff9b::c0a8:1 is NAT64 of 192.168.0.1, which is private (RFC 1918) (192.168.0.0/16)",
        "64:ff9b:1::a00:1 | 64:ff9b:1::a00:1 is NAT64 of 10.0.0.1, which is private (RFC 1918) (10.0.0.0/8)",
        "64:ff9b:1:7f00:1::1 | 64:ff9b:1:7f00:1::1 is NAT64 (64:ff9b:1::/48) in a layout whose IPv4 address cannot be told",
        // 6to4
        "2002:7f00:1::1 | 2002:7f00:1::1 is 6to4 of 127.0.0.1, which is loopback (127.0.0.0/8)",
        "2002:a9fe:a9fe::| 2002:a9fe:a9fe:: is 6to4 of 169.254.169.254, which is the cloud metadata service",
        "2002:a64:1::1 | 2002:a64:1::1 is 6to4 of 10.100.0.1, which is private (RFC 1918) (10.0.0.0/8)",
        "2002:6440::1 | 2002:6440::1 is 6to4 of 100.64.0.0, which is carrier-grade NAT shared space (100.64.0.0/10)",
      })
  void ipv4EmbeddedInIpv6IsJudgedByTheIpv4Address(String address, String reasonStart) {
    Decision decision = DEFAULTS.check(address, ip(address));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason())
        .startsWith(reasonStart)
        .endsWith("; allow it with --egress-allow");
  }

  @Test
  void cidrAllowlistOpensExactlyItsRange() {
    EgressPolicy policy =
        EgressPolicy.builder()
            .allow("127.0.0.1/32")
            .allow("10.20.0.0/16")
            .allow("fd00:1::/32")
            .build();

    assertThat(policy.check("127.0.0.1", ip("127.0.0.1")).allowed()).isTrue();
    assertThat(policy.check("127.0.0.2", ip("127.0.0.2")).allowed()).isFalse();
    assertThat(policy.check("::1", ip("::1")).allowed()).isFalse();
    assertThat(policy.check("svc", ip("10.20.3.4")).allowed()).isTrue();
    assertThat(policy.check("svc", ip("10.21.0.0")).allowed()).isFalse();
    assertThat(policy.check("svc", ip("fd00:1::5")).allowed()).isTrue();
    assertThat(policy.check("svc", ip("fd00:2::5")).allowed()).isFalse();
    // The allowed IPv4 range is reached through its IPv6 encodings as well.
    assertThat(policy.check("svc", ip("::ffff:10.20.0.1")).allowed()).isTrue();
    assertThat(policy.check("svc", ip("64:ff9b::10.20.0.1")).allowed()).isTrue();
    assertThat(policy.check("svc", ip("2002:a14:1::")).allowed()).isTrue();
    // Still nothing else in 169.254.0.0/16 et al.
    assertThat(policy.check("svc", ip("169.254.169.254")).allowed()).isFalse();
  }

  @Test
  void singleAddressesAndIpv6LoopbackCanBeAllowed() {
    EgressPolicy policy = EgressPolicy.of(List.of("127.0.0.1, ::1"), List.of());

    assertThat(policy.check("localhost", ip("127.0.0.1")).allowed()).isTrue();
    assertThat(policy.check("localhost", ip("::1")).allowed()).isTrue();
    assertThat(policy.allowedCidrs())
        .extracting(Cidr::toString)
        .containsExactly("127.0.0.1/32", "::1/128");
  }

  @Test
  void hostAllowlistMatchesExactNamesAndNamesBelowASuffix() {
    EgressPolicy policy =
        EgressPolicy.builder().allow("receiver.test").allow("*.svc.cluster.local").build();

    assertThat(policy.check("receiver.test", ip("127.0.0.1")).allowed()).isTrue();
    assertThat(policy.check("RECEIVER.test.", ip("10.0.0.1")).allowed()).isTrue();
    assertThat(policy.check("billing.shop.svc.cluster.local", ip("10.96.0.10")).allowed()).isTrue();
    assertThat(policy.check("a.b.svc.cluster.local", ip("fd00::1")).allowed()).isTrue();
    // Not the suffix itself, not a name that merely ends with the same letters, not other names.
    assertThat(policy.check("svc.cluster.local", ip("10.96.0.10")).allowed()).isFalse();
    assertThat(policy.check("evilsvc.cluster.local", ip("10.96.0.10")).allowed()).isFalse();
    assertThat(policy.check("other.receiver.test", ip("127.0.0.1")).allowed()).isFalse();
    assertThat(policy.check("receiver.test.evil.com", ip("127.0.0.1")).allowed()).isFalse();
    // A public address needs no exception.
    assertThat(policy.check("example.com", ip("93.184.216.34")).allowed()).isTrue();
    assertThat(policy.allowedHosts())
        .containsExactlyInAnyOrder("receiver.test", "*.svc.cluster.local");
  }

  @Test
  void aSiitAddressIsOpenedByTheIpv4RangeItCarries() {
    EgressPolicy policy = EgressPolicy.builder().allow("10.20.0.0/16").build();

    assertThat(policy.check("svc", ip("::ffff:0:10.20.0.1")).allowed()).isTrue();
    assertThat(policy.check("svc", ip("::ffff:0:10.21.0.1")).allowed()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "*.0.0.1",
        "*.1",
        "*.0.1",
        "127.1",
        "2130706433",
        "*.0x1",
        "0x7f.0.0.1",
        "*.168.63.129.16"
      })
  void hostEntriesThatWouldMatchAddressTextAreRefusedAtStartup(String entry) {
    assertThatThrownBy(() -> EgressPolicy.of(List.of(entry), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + entry + "\" would match addresses written as text")
        .hasMessageContaining("CIDR");
  }

  @Test
  void hostPatternsMatchNamesNeverTheTextOfAnAddress() {
    // *.local is a pattern for names; a name that looks like it ends in digits is not one.
    EgressPolicy policy = EgressPolicy.builder().allow("*.local").allow("*.x1").build();

    assertThat(policy.check("printer.local", ip("192.168.1.5")).allowed()).isTrue();
    assertThat(policy.check("a.x1", ip("10.0.0.1")).allowed()).isTrue();
    assertThat(EgressPolicy.isName("127.0.0.1")).isFalse();
    assertThat(EgressPolicy.isName("::ffff:127.0.0.1")).isFalse();
    assertThat(EgressPolicy.isName("127.1")).isFalse();
    assertThat(EgressPolicy.isName("0x7f.0.0.1")).isFalse();
    assertThat(EgressPolicy.isName("xn--bcher-kva.example")).isTrue();
  }

  @Test
  void checkAllRefusesTheNameWhenAnyAddressIsRefusedWhateverTheOrder() {
    Decision first = DEFAULTS.checkAll("mixed.test", List.of(ip("93.184.216.34"), ip("10.0.0.1")));
    Decision second = DEFAULTS.checkAll("mixed.test", List.of(ip("10.0.0.1"), ip("93.184.216.34")));

    assertThat(first).isEqualTo(second);
    assertThat(first.allowed()).isFalse();
    assertThat(first.reason()).startsWith("mixed.test resolves to 10.0.0.1, which is private");
    assertThat(
            DEFAULTS.checkAll("public.test", List.of(ip("93.184.216.34"), ip("1.1.1.1"))).allowed())
        .isTrue();
    assertThatThrownBy(() -> DEFAULTS.checkAll("none.test", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anIpLiteralHostIsNotAHostNameException() {
    EgressPolicy policy = EgressPolicy.builder().allow("example.com").build();

    assertThat(policy.check("10.0.0.1", ip("10.0.0.1")).allowed()).isFalse();
  }

  @Test
  void configuredDenialsAddToTheBuiltInOnesAndTheAllowlistStillWins() {
    EgressPolicy policy =
        EgressPolicy.of(
            List.of("*.svc.cluster.local", "34.118.224.5"),
            List.of("34.118.224.0/20, 2600:1900:4000::/44", "  "));

    Decision service = policy.check("billing.example.com", ip("34.118.224.10"));
    assertThat(service.allowed()).isFalse();
    assertThat(service.reason())
        .isEqualTo(
            "billing.example.com resolves to 34.118.224.10, which is in a range "
                + "this operator is configured to refuse (--egress-deny) (34.118.224.0/20); allow it with --egress-allow");
    assertThat(policy.check("x", ip("2600:1900:4000::1")).allowed()).isFalse();
    assertThat(policy.check("billing.shop.svc.cluster.local", ip("34.118.224.10")).allowed())
        .isTrue();
    assertThat(policy.check("x", ip("34.118.224.5")).allowed()).isTrue();
    // Built-in refusals still apply.
    assertThat(policy.check("x", ip("127.0.0.1")).allowed()).isFalse();
    assertThat(policy.denied()).hasSize(EgressPolicy.DEFAULT_DENIED.size() + 2);
  }

  @Test
  void nothingIsOpenedByDefault() {
    assertThat(DEFAULTS.allowedCidrs()).isEmpty();
    assertThat(DEFAULTS.allowedHosts()).isEmpty();
    assertThat(DEFAULTS.denied()).isEqualTo(EgressPolicy.DEFAULT_DENIED);
    assertThat(DEFAULTS.toString()).isEqualTo("egress policy: built-in refusals, no exceptions");
    assertThat(EgressPolicy.of(null, null).check("x", ip("10.0.0.1")).allowed()).isFalse();
  }

  @Test
  void describesItselfForTheStartupLog() {
    EgressPolicy policy =
        EgressPolicy.of(List.of("127.0.0.1", "*.svc.cluster.local"), List.of("10.96.0.0/12"));

    assertThat(policy)
        .hasToString(
            "egress policy: built-in refusals + [10.96.0.0/12], allowed [127.0.0.1/32, *.svc.cluster.local]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "*",
        "*.",
        "http://example.com",
        "exa mple.com",
        "-bad.com",
        "a..b",
        "10.0.0.1/33",
        "10.1.0.0/8",
        "host:8080",
        "*.*.example.com",
        "ex*ample.com"
      })
  void badAllowEntriesFailAtStartupNamingTheEntry(String entry) {
    assertThatThrownBy(() -> EgressPolicy.of(List.of(entry), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(entry.strip());
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "*.example.com", "10.0.0.0/33", "10.0.0.1/8"})
  void denyEntriesMustBeCidrs(String entry) {
    assertThatThrownBy(() -> EgressPolicy.of(List.of(), List.of(entry)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
