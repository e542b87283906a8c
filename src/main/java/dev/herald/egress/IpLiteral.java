package dev.herald.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Strict parsing of IP address text into an {@link InetAddress} without any name lookup.
 *
 * <p>Why not {@link InetAddress#getByName}: on anything that is not a literal it asks DNS, and a
 * policy check must never do that by accident. Why not Netty's {@code NetUtil}: it rewrites {@code
 * ::a.b.c.d} into the IPv4-mapped form and rejects {@code 64:ff9b::a.b.c.d}, both of which the
 * policy has to see as written. Only the plain forms are literals here: dotted-quad IPv4 with
 * decimal parts (no leading zeros, so {@code 0177.0.0.1} is not silently read as decimal or octal)
 * and RFC 4291 IPv6 text, optionally in brackets, without a zone.
 */
public final class IpLiteral {
  private IpLiteral() {}

  /** The address the text denotes, or null when it is not an IP literal. */
  public static InetAddress parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    String s = text;
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
      byte[] v6 = ipv6(s);
      return v6 == null ? null : address(v6);
    }
    byte[] bytes = s.indexOf(':') >= 0 ? ipv6(s) : ipv4(s);
    return bytes == null ? null : address(bytes);
  }

  static byte[] ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return null;
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  static byte[] ipv6(String text) {
    String s = text.toLowerCase(Locale.ROOT);
    if (s.isEmpty() || s.indexOf('%') >= 0) {
      return null; // zones name an interface of this machine: never a webhook target
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    byte[] out = new byte[16];
    if (gap < 0) {
      return groups(s, out, 0, 16) == 16 ? out : null;
    }
    String head = s.substring(0, gap);
    String tail = s.substring(gap + 2);
    byte[] headBytes = new byte[16];
    int headLength = head.isEmpty() ? 0 : groups(head, headBytes, 0, 14);
    if (headLength < 0) {
      return null;
    }
    byte[] tailBytes = new byte[16];
    int tailLength = tail.isEmpty() ? 0 : groups(tail, tailBytes, 0, 14);
    if (tailLength < 0 || headLength + tailLength > 14) {
      return null; // "::" stands for at least one zero group
    }
    System.arraycopy(headBytes, 0, out, 0, headLength);
    System.arraycopy(tailBytes, 0, out, 16 - tailLength, tailLength);
    return out;
  }

  /**
   * Parses colon-separated hex groups (the last may be a dotted IPv4) into {@code out}; returns the
   * number of bytes written, or -1 when malformed or longer than {@code max}.
   */
  private static int groups(String s, byte[] out, int offset, int max) {
    String[] parts = s.split(":", -1);
    int n = offset;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && p.indexOf('.') >= 0) {
        byte[] v4 = ipv4(p);
        if (v4 == null || n + 4 > max) {
          return -1;
        }
        System.arraycopy(v4, 0, out, n, 4);
        n += 4;
        continue;
      }
      if (p.isEmpty() || p.length() > 4 || n + 2 > max) {
        return -1;
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        int d = Character.digit(p.charAt(j), 16);
        if (d < 0) {
          return -1;
        }
        v = v * 16 + d;
      }
      out[n++] = (byte) (v >> 8);
      out[n++] = (byte) v;
    }
    return n - offset;
  }

  /**
   * The address as text without any lookup: dotted quad, or RFC 5952 IPv6 (lower case, the longest
   * run of two or more zero groups as {@code ::}), so messages show what users type.
   */
  public static String format(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  private static InetAddress address(byte[] bytes) {
    try {
      // Given bytes, getByAddress never resolves anything; it only fails on a bad length.
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
