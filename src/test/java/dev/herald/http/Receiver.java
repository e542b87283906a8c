package dev.herald.http;

import dev.herald.egress.EgressPolicy;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A webhook receiver on 127.0.0.1 that records what it got and answers as the test says. */
public final class Receiver implements AutoCloseable {
  record Received(String uri, MultiMap headers, Buffer body) {}

  /** Exactly the address receivers listen on; the default policy refuses all loopback. */
  static final EgressPolicy LOOPBACK = EgressPolicy.builder().allow("127.0.0.1/32").build();

  /**
   * Sender options for these receivers: plain http on 127.0.0.1, both of which the defaults refuse
   * (as they must for URLs users type), so tests open exactly those.
   */
  static SenderOptions localOptions() {
    return SenderOptions.defaults().withAllowPlainHttp(true).withEgressPolicy(LOOPBACK);
  }

  final List<Received> received = new CopyOnWriteArrayList<>();

  /** Connections accepted, whether or not a request came over them. */
  final AtomicInteger connections = new AtomicInteger();

  private final HttpServer server;
  private final boolean tls;

  private Receiver(HttpServer server, boolean tls) {
    this.server = server;
    this.tls = tls;
  }

  static Receiver start(Vertx vertx, Consumer<HttpServerRequest> respond) {
    return start(vertx, new HttpServerOptions(), respond);
  }

  static Receiver start(
      Vertx vertx, HttpServerOptions options, Consumer<HttpServerRequest> respond) {
    HttpServer server = vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0));
    Receiver receiver = new Receiver(server, options.isSsl());
    server.connectionHandler(connection -> receiver.connections.incrementAndGet());
    server.requestHandler(
        request ->
            request
                .body()
                .onSuccess(
                    body -> {
                      receiver.received.add(new Received(request.uri(), request.headers(), body));
                      respond.accept(request);
                    }));
    await(server.listen());
    return receiver;
  }

  int port() {
    return server.actualPort();
  }

  String url() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port() + "/hooks";
  }

  @Override
  public void close() {
    await(server.close());
  }

  /**
   * A Vert.x that cannot look anything up beyond {@code hostsFile}: its resolver asks only a closed
   * UDP port on 127.0.0.1 and uses no search domains, so no DNS query leaves the machine and every
   * other name fails to resolve.
   */
  public static Vertx offlineVertx(String hostsFile) {
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

  /** Bounded wait for a Vert.x future from the test thread. */
  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
