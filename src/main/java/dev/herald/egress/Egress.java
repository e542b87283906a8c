package dev.herald.egress;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * The one path by which Herald reaches a host a user named: webhook URLs, a digest's webhook, its
 * SMTP server, and anything added later (token URLs, proxies). The name is resolved once, every
 * address it resolved to is checked against the {@link EgressPolicy}, and the caller connects to
 * the address {@link #route} returns, never to the name: a DNS server answering a public address to
 * the check and {@code 169.254.169.254} to a second lookup made for the connection would otherwise
 * walk straight past the policy. Callers keep the name for everything else (the {@code Host}
 * header, SNI, certificate hostname verification).
 *
 * <p>Immutable and thread-safe.
 */
public final class Egress {
  private final EgressPolicy policy;
  private final Resolver resolver;

  public Egress(EgressPolicy policy, Resolver resolver) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  public EgressPolicy policy() {
    return policy;
  }

  /**
   * The policy said no. The message is a sentence for status (it names the host, the address and
   * the range, never anything read from a Secret), so it carries no stack trace.
   */
  public static final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public RefusedException(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * The address to connect to for {@code host} (a name, or an IP literal with or without IPv6
   * brackets): the literal itself without any lookup, or the first of the addresses the name
   * resolved to, all of them checked. The address carries no name, so nothing downstream has a
   * reason to look the name up again.
   *
   * <p>Fails with {@link RefusedException} when the policy refuses the host, with {@link
   * UnknownHostException} when the answer is empty, or with the resolver's own failure. Whoever
   * calls bounds the time: a resolver that never answers is the caller's deadline.
   */
  public Future<InetAddress> route(String host) {
    Objects.requireNonNull(host, "host");
    InetAddress literal = IpLiteral.parse(host);
    if (literal != null) {
      return checked(host, List.of(literal));
    }
    if (host.startsWith("[")) {
      return Future.failedFuture(
          new RefusedException("not a valid IPv6 address: " + truncate(host, 60)));
    }
    return resolver
        .resolve(host)
        .compose(
            addresses -> {
              if (addresses == null || addresses.isEmpty()) {
                return Future.failedFuture(
                    new UnknownHostException("no address for " + truncate(host, 100)));
              }
              return checked(host, addresses);
            });
  }

  private Future<InetAddress> checked(String host, List<InetAddress> addresses) {
    EgressPolicy.Decision decision = policy.checkAll(host, addresses);
    if (!decision.allowed()) {
      return Future.failedFuture(new RefusedException(decision.reason()));
    }
    return Future.succeededFuture(bare(addresses.get(0)));
  }

  private static InetAddress bare(InetAddress address) {
    try {
      return InetAddress.getByAddress(address.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only for a byte array of the wrong length
    }
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
