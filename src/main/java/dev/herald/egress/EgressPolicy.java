package dev.herald.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which addresses webhook requests may connect to: the SSRF guard of a service that sends requests
 * to URLs its users type.
 *
 * <p>Refused by default: loopback, private (RFC 1918, unique local), link-local (with the cloud
 * metadata services and Azure's platform address), carrier-grade NAT, unspecified, multicast,
 * broadcast and the reserved ranges (documentation, benchmarking, discard, ORCHID, the 6to4 relay
 * anycast, future use), plus any extra CIDRs the operator is configured with (the cluster's service
 * and pod networks). IPv6 addresses that carry an IPv4 address (IPv4-mapped, SIIT IPv4-translated,
 * IPv4-compatible, NAT64, 6to4) are judged by that IPv4 address too, since that is where the
 * packets end up; Teredo addresses are refused because their real target is not visible in them.
 *
 * <p>The allowlist opens exceptions, and wins over every refusal: CIDRs (an address matches if it,
 * or the IPv4 address it carries, is inside one) and host names, exact or {@code *.suffix} (any
 * name below the suffix, not the suffix itself). Host entries match names only: never a host
 * written as an IP address, nor a name whose last label is not alphabetic-led (such as {@code
 * 127.1}, which some resolvers read as an address), so {@code *.0.0.1} cannot open {@code
 * 127.0.0.1}; such entries are refused at startup. A host name entry allows whatever that name
 * resolves to, so list only names whose DNS you trust, such as {@code *.svc.cluster.local}.
 *
 * <p>Immutable and thread-safe. {@link #check} never touches the network; {@link Egress} is the one
 * path that resolves a name, checks every address ({@link #checkAll}) and hands out the very
 * address that was checked for the connection.
 */
public final class EgressPolicy {
  /** Where users learn how to open an exception; the operator's flag of the same name. */
  static final String ALLOW_HINT = "allow it with --egress-allow";

  private static final Pattern HOST_LABEL =
      Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

  /** A named range that is refused unless allowed. */
  public record Range(Cidr cidr, String description) {
    public Range {
      Objects.requireNonNull(cidr, "cidr");
      Objects.requireNonNull(description, "description");
    }
  }

  /** The outcome of {@link #check}: allowed, or refused with a sentence for the delivery status. */
  public record Decision(boolean allowed, String reason) {
    private static final Decision ALLOWED = new Decision(true, null);

    public static Decision allow() {
      return ALLOWED;
    }

    public static Decision refuse(String reason) {
      return new Decision(false, Objects.requireNonNull(reason, "reason"));
    }
  }

  /**
   * The built-in refusals, most specific first so the message names the narrowest range. The
   * IPv4-mapped, SIIT, IPv4-compatible, NAT64 and 6to4 blocks are absent on purpose: those
   * addresses are judged by the IPv4 address inside them.
   */
  public static final List<Range> DEFAULT_DENIED =
      List.of(
          // IPv4
          range("169.254.169.254/32", "the cloud metadata service (link-local)"),
          range("168.63.129.16/32", "the Azure platform service (WireServer)"),
          range("255.255.255.255/32", "broadcast"),
          range("0.0.0.0/8", "unspecified (\"this network\")"),
          range("10.0.0.0/8", "private (RFC 1918)"),
          range("100.64.0.0/10", "carrier-grade NAT shared space"),
          range("127.0.0.0/8", "loopback"),
          range("169.254.0.0/16", "link-local"),
          range("172.16.0.0/12", "private (RFC 1918)"),
          range("192.0.0.0/24", "reserved for IETF protocol assignments"),
          range("192.0.2.0/24", "reserved for documentation"),
          range("192.88.99.0/24", "the deprecated 6to4 relay anycast"),
          range("192.168.0.0/16", "private (RFC 1918)"),
          range("198.18.0.0/15", "reserved for benchmarking"),
          range("198.51.100.0/24", "reserved for documentation"),
          range("203.0.113.0/24", "reserved for documentation"),
          range("224.0.0.0/4", "multicast"),
          range("240.0.0.0/4", "reserved"),
          // IPv6
          range("::/128", "unspecified"),
          range("::1/128", "loopback"),
          range("fd00:ec2::254/128", "the AWS metadata service (IPv6)"),
          range("100::/64", "reserved for discard"),
          range("2001::/32", "Teredo, whose real target cannot be checked"),
          range("2001:2::/48", "reserved for benchmarking"),
          range("2001:10::/28", "ORCHID (deprecated, not routable)"),
          range("2001:db8::/32", "reserved for documentation"),
          range("3fff::/20", "reserved for documentation"),
          range("fc00::/7", "private (unique local)"),
          range("fe80::/10", "link-local"),
          range("fec0::/10", "site-local (deprecated, private)"),
          range("ff00::/8", "multicast"));

  private static final Cidr NAT64_WELL_KNOWN = Cidr.parse("64:ff9b::/96");
  private static final Cidr NAT64_LOCAL = Cidr.parse("64:ff9b:1::/48");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
  private static final Cidr IPV4_MAPPED = Cidr.parse("::ffff:0:0/96");

  /**
   * SIIT's IPv4-translated form (RFC 2765), {@code ::ffff:0:a.b.c.d}: a translator forwards it to
   * a.b.c.d.
   */
  private static final Cidr IPV4_TRANSLATED = Cidr.parse("::ffff:0:0:0/96");

  private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");

  private final List<Range> denied;
  private final List<Cidr> allowedCidrs;
  private final Set<String> allowedHosts;
  private final Set<String> allowedSuffixes;

  private EgressPolicy(
      List<Range> denied,
      List<Cidr> allowedCidrs,
      Set<String> allowedHosts,
      Set<String> allowedSuffixes) {
    this.denied = List.copyOf(denied);
    this.allowedCidrs = List.copyOf(allowedCidrs);
    this.allowedHosts = Set.copyOf(allowedHosts);
    this.allowedSuffixes = Set.copyOf(allowedSuffixes);
  }

  /** The built-in refusals and no exceptions. */
  public static EgressPolicy defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The policy of the operator's command line: {@code allow} and {@code deny} as given to {@code
   * --egress-allow} and {@code --egress-deny} (entries may hold comma lists; blanks are ignored).
   *
   * @throws IllegalArgumentException naming the first entry that is not a CIDR or host pattern
   */
  public static EgressPolicy of(Collection<String> allow, Collection<String> deny) {
    Builder builder = builder();
    for (String entry : split(allow)) {
      builder.allow(entry);
    }
    for (String entry : split(deny)) {
      builder.deny(entry);
    }
    return builder.build();
  }

  /**
   * Whether a request to {@code host} may connect to {@code address}, one of the addresses {@code
   * host} resolved to (or the address an IP-literal host denotes).
   */
  public Decision check(String host, InetAddress address) {
    Objects.requireNonNull(address, "address");
    String name = normalizeHost(host);
    if (isName(name) && hostAllowed(name)) {
      return Decision.allow();
    }
    String shown = IpLiteral.format(address);
    String subject =
        name == null || name.equals(shown) || IpLiteral.parse(name) != null
            ? shown
            : name + " resolves to " + shown + ", which";
    if (cidrAllowed(address)) {
      return Decision.allow();
    }
    Range range = deniedRange(address);
    if (range != null) {
      return Decision.refuse(subject + " is " + describe(range) + "; " + ALLOW_HINT);
    }
    Embedded embedded = embeddedIpv4(address);
    if (embedded == null) {
      return Decision.allow();
    }
    if (embedded.ipv4 == null) {
      return Decision.refuse(
          subject
              + " is "
              + embedded.kind
              + " in a layout whose IPv4 address cannot be told; "
              + ALLOW_HINT);
    }
    if (cidrAllowed(embedded.ipv4)) {
      return Decision.allow();
    }
    Range inner = deniedRange(embedded.ipv4);
    if (inner != null) {
      return Decision.refuse(
          subject
              + " is "
              + embedded.kind
              + " of "
              + IpLiteral.format(embedded.ipv4)
              + ", which is "
              + describe(inner)
              + "; "
              + ALLOW_HINT);
    }
    return Decision.allow();
  }

  /**
   * Whether {@code host} may be reached at all of {@code addresses} (what it resolved to): the
   * first refusal, or allowed when there is none. The name is refused when any address is, so the
   * decision does not depend on the order of the records, which whoever runs that DNS controls, and
   * a name mixing public and internal addresses (the usual shape of a rebinding trick) fails.
   */
  public Decision checkAll(String host, List<InetAddress> addresses) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no address to check");
    }
    for (InetAddress address : addresses) {
      Decision decision = check(host, address);
      if (!decision.allowed()) {
        return decision;
      }
    }
    return Decision.allow();
  }

  public List<Range> denied() {
    return denied;
  }

  public List<Cidr> allowedCidrs() {
    return allowedCidrs;
  }

  /** Allowed host names: exact names, and {@code *.suffix} patterns as written. */
  public Set<String> allowedHosts() {
    Set<String> all = new LinkedHashSet<>(allowedHosts);
    allowedSuffixes.forEach(s -> all.add("*" + s));
    return Set.copyOf(all);
  }

  /** One line for the startup log. */
  @Override
  public String toString() {
    List<String> allowed = new ArrayList<>();
    allowedCidrs.forEach(c -> allowed.add(c.toString()));
    allowed.addAll(new java.util.TreeSet<>(allowedHosts()));
    List<String> extra =
        denied.subList(DEFAULT_DENIED.size(), denied.size()).stream()
            .map(r -> r.cidr().toString())
            .toList();
    return "egress policy: built-in refusals"
        + (extra.isEmpty() ? "" : " + " + extra)
        + (allowed.isEmpty() ? ", no exceptions" : ", allowed " + allowed);
  }

  private boolean hostAllowed(String name) {
    if (allowedHosts.contains(name)) {
      return true;
    }
    for (String suffix : allowedSuffixes) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        return true;
      }
    }
    return false;
  }

  private boolean cidrAllowed(InetAddress address) {
    for (Cidr cidr : allowedCidrs) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private Range deniedRange(InetAddress address) {
    for (Range range : denied) {
      if (range.cidr().contains(address)) {
        return range;
      }
    }
    return null;
  }

  private static String describe(Range range) {
    return range.description() + " (" + range.cidr() + ")";
  }

  /** An IPv4 address carried inside an IPv6 one; {@code ipv4} null when it cannot be told. */
  private record Embedded(String kind, InetAddress ipv4) {}

  private static Embedded embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return null;
    }
    byte[] b = address.getAddress();
    if (IPV4_MAPPED.contains(address)) {
      return new Embedded("IPv4-mapped", ipv4(b, 12));
    }
    if (IPV4_TRANSLATED.contains(address)) {
      return new Embedded("SIIT IPv4-translated", ipv4(b, 12));
    }
    if (IPV4_COMPATIBLE.contains(address)) {
      // :: and ::1 are in DEFAULT_DENIED and judged before this; the rest of ::/96 is the
      // deprecated IPv4-compatible form.
      return new Embedded("IPv4-compatible", ipv4(b, 12));
    }
    if (NAT64_WELL_KNOWN.contains(address)) {
      return new Embedded("NAT64", ipv4(b, 12));
    }
    if (NAT64_LOCAL.contains(address)) {
      // RFC 6052 lets a local-use NAT64 prefix be /48 to /96, and each length puts the IPv4
      // address elsewhere. Only the /96 layout (all zeros between prefix and address) is
      // unambiguous; for the others no single address can be vouched for.
      for (int i = 6; i < 12; i++) {
        if (b[i] != 0) {
          return new Embedded("NAT64 (64:ff9b:1::/48)", null);
        }
      }
      return new Embedded("NAT64", ipv4(b, 12));
    }
    if (SIX_TO_FOUR.contains(address)) {
      return new Embedded("6to4", ipv4(b, 2));
    }
    return null;
  }

  private static InetAddress ipv4(byte[] bytes, int offset) {
    try {
      return InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, offset, offset + 4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether a normalized host is a name a host entry may match: not an IP literal, and its last
   * label starts with a letter (every top-level domain does), so that text some resolvers read as
   * an address ({@code 127.1}, {@code 2130706433}, {@code 0x7f.0.0.1}) never counts as a name.
   */
  static boolean isName(String name) {
    if (name == null || name.isEmpty() || IpLiteral.parse(name) != null) {
      return false;
    }
    String last = name.substring(name.lastIndexOf('.') + 1);
    return !last.isEmpty() && last.charAt(0) >= 'a' && last.charAt(0) <= 'z';
  }

  /** Lower case, no trailing dot, no IPv6 brackets; null for null or blank. */
  static String normalizeHost(String host) {
    if (host == null || host.isBlank()) {
      return null;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  private static List<String> split(Collection<String> values) {
    List<String> out = new ArrayList<>();
    if (values == null) {
      return out;
    }
    for (String value : values) {
      if (value == null) {
        continue;
      }
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }

  private static Range range(String cidr, String description) {
    return new Range(Cidr.parse(cidr), description);
  }

  /** Collects exceptions and extra refusals; {@link #build} may be called more than once. */
  public static final class Builder {
    private final List<Range> extraDenied = new ArrayList<>();
    private final List<Cidr> allowedCidrs = new ArrayList<>();
    private final Set<String> allowedHosts = new LinkedHashSet<>();
    private final Set<String> allowedSuffixes = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Opens an exception: a CIDR ({@code 10.0.0.0/8}), an address ({@code 127.0.0.1}, one host), a
     * host name ({@code receiver.example.com}) or a pattern of names below a domain ({@code
     * *.svc.cluster.local}).
     *
     * @throws IllegalArgumentException when the entry is none of these
     */
    public Builder allow(String entry) {
      Objects.requireNonNull(entry, "entry");
      String e = entry.strip();
      if (e.indexOf('/') >= 0 || IpLiteral.parse(e) != null || e.indexOf(':') >= 0) {
        allowedCidrs.add(Cidr.parse(e));
        return this;
      }
      String name = normalizeHost(e);
      if (name != null && name.startsWith("*.")) {
        String suffix = name.substring(1); // ".svc.cluster.local"
        requireHostName(suffix.substring(1), entry);
        allowedSuffixes.add(suffix);
        return this;
      }
      requireHostName(name, entry);
      allowedHosts.add(name);
      return this;
    }

    /** Adds a refused range, such as the cluster's service or pod CIDR. */
    public Builder deny(String cidr) {
      Cidr parsed = Cidr.parse(cidr);
      extraDenied.add(
          new Range(parsed, "in a range this operator is configured to refuse (--egress-deny)"));
      return this;
    }

    public EgressPolicy build() {
      List<Range> denied = new ArrayList<>(DEFAULT_DENIED);
      denied.addAll(extraDenied);
      return new EgressPolicy(denied, allowedCidrs, allowedHosts, allowedSuffixes);
    }

    private static void requireHostName(String name, String entry) {
      boolean ok = name != null && !name.isEmpty() && name.length() <= 253;
      if (ok) {
        for (String label : name.split("\\.", -1)) {
          if (!HOST_LABEL.matcher(label).matches()) {
            ok = false;
            break;
          }
        }
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "not a CIDR, IP address, host name or *.domain pattern: \"" + entry + "\"");
      }
      if (!isName(name)) {
        throw new IllegalArgumentException(
            "\""
                + entry
                + "\" would match addresses written as text, not names "
                + "(a domain's last label starts with a letter); allow addresses with a CIDR such as 127.0.0.1/32");
      }
    }
  }
}
