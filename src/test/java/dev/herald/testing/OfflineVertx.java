package dev.herald.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;

/** A Vert.x whose resolver knows only the names a test gives it. */
public final class OfflineVertx {
  private OfflineVertx() {}

  /**
   * A Vert.x that cannot look anything up beyond {@code hostsFile}: its resolver asks only a closed
   * UDP port on 127.0.0.1 and uses no search domains, so no DNS query leaves the machine and every
   * other name fails to resolve.
   */
  public static Vertx create(String hostsFile) {
    int closedUdpPort;
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
      closedUdpPort = socket.getLocalPort();
    } catch (SocketException | UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return Vertx.vertx(
        new VertxOptions()
            .setAddressResolverOptions(
                new AddressResolverOptions()
                    .setServers(List.of("127.0.0.1:" + closedUdpPort))
                    .setHostsValue(Buffer.buffer(hostsFile))
                    .setSearchDomains(List.of())
                    .setQueryTimeout(500)
                    .setMaxQueries(1)));
  }
}
