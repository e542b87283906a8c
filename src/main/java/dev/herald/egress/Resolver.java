package dev.herald.egress;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Turns a host name into addresses for {@link Egress}, which checks them against the egress policy
 * and hands out the one to connect to, so the name is looked up exactly once per connection.
 * Pluggable so tests can answer names without DNS (and differently each time).
 */
@FunctionalInterface
public interface Resolver {

  /** Every address of {@code host} in the order a client should try them; fails when none. */
  Future<List<InetAddress>> resolve(String host);

  /**
   * The resolver the Vert.x HTTP client would have used on its own: the same hosts file, search
   * domains ({@code billing.shop.svc} in a pod), servers and caching, from {@code
   * VertxOptions#getAddressResolverOptions}. It is reached through Vert.x's internal {@code
   * AddressResolver}: Vert.x 4 has no public call that returns every address of a name, and
   * checking only some of them would leave the others unchecked.
   */
  static Resolver of(Vertx vertx) {
    if (!(vertx instanceof VertxInternal internal)) {
      throw new IllegalArgumentException(
          "not a Vert.x instance with an address resolver: " + vertx.getClass());
    }
    return host -> {
      Promise<List<InetSocketAddress>> all = Promise.promise();
      internal.addressResolver().resolveHostnameAll(host, all);
      return all.future().map(list -> list.stream().map(InetSocketAddress::getAddress).toList());
    };
  }
}
