package dev.herald.egress;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as {@code 10.0.0.0/8} or {@code fd00::/8}. An
 * address without a prefix length is a single host ({@code /32} or {@code /128}).
 *
 * <p>Families never mix: an IPv4 network contains only 4-byte addresses. Embedded IPv4 forms
 * (IPv4-mapped, NAT64, 6to4) are unwrapped by {@link EgressPolicy}, not here.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefixLength;

  private Cidr(byte[] network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /**
   * Parses {@code address/prefix} or a bare address. Host bits set below the prefix (as in {@code
   * 10.1.2.3/8}) are an error rather than silently widened or narrowed: for a security setting it
   * is better to learn at startup that the text does not mean what it seems to.
   *
   * @throws IllegalArgumentException with a message naming the text when it is not a CIDR
   */
  public static Cidr parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    int slash = s.indexOf('/');
    String addressText = slash < 0 ? s : s.substring(0, slash);
    InetAddress address = IpLiteral.parse(addressText);
    if (address == null || addressText.startsWith("[")) {
      throw new IllegalArgumentException("not an IP address or CIDR: \"" + text + "\"");
    }
    // Keep the family the text was written in: "::ffff:10.0.0.0/104" is an IPv6 network even
    // though Java hands IPv4-mapped bytes back as an IPv4 address.
    byte[] bytes =
        addressText.indexOf(':') >= 0 ? IpLiteral.ipv6(addressText) : address.getAddress();
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("not a prefix length in \"" + text + "\"");
      }
      prefix = Integer.parseInt(p);
      if (prefix > bits) {
        throw new IllegalArgumentException(
            "prefix length " + prefix + " is longer than " + bits + " bits in \"" + text + "\"");
      }
    }
    byte[] masked = mask(bytes, prefix);
    if (!Arrays.equals(masked, bytes)) {
      throw new IllegalArgumentException(
          "\"" + text + "\" has host bits set; did you mean " + new Cidr(masked, prefix) + "?");
    }
    return new Cidr(masked, prefix);
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    return Arrays.equals(mask(a, prefixLength), network);
  }

  public boolean isIpv4() {
    return network.length == 4;
  }

  public int prefixLength() {
    return prefixLength;
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - 8 * i));
      out[i] = (byte) (out[i] & (0xff << (8 - keep)));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr other
        && prefixLength == other.prefixLength
        && Arrays.equals(network, other.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  /** Canonical text: {@code 10.0.0.0/8}, {@code fd00::/8}. */
  @Override
  public String toString() {
    return IpLiteral.format(bytesAddress(network)) + "/" + prefixLength;
  }

  private static InetAddress bytesAddress(byte[] bytes) {
    try {
      if (bytes.length == 16) {
        // getByAddress would turn ::ffff:a.b.c.d into an IPv4 address and print it without its
        // prefix.
        return java.net.Inet6Address.getByAddress(null, bytes, -1);
      }
      return InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
