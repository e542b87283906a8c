package dev.herald.egress;

import static dev.herald.egress.CidrTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The one resolve-check-connect path, without sockets: resolvers answer from lists. */
class EgressTest {
  static final EgressPolicy LOOPBACK = EgressPolicy.builder().allow("127.0.0.1/32").build();

  final List<String> lookups = new CopyOnWriteArrayList<>();

  @Test
  void aNameIsLookedUpOnceAndTheFirstCheckedAddressIsHandedOutWithoutItsName() throws Exception {
    InetAddress named = InetAddress.getByAddress("rebind.test", ip("127.0.0.1").getAddress());
    Egress egress = new Egress(LOOPBACK, answering(List.of(named)));

    InetAddress address =
        egress.route("rebind.test").toCompletionStage().toCompletableFuture().get();

    assertThat(address.getAddress()).isEqualTo(ip("127.0.0.1").getAddress());
    // No name attached: nothing downstream has a reason to look it up again.
    assertThat(address.toString()).isEqualTo("/127.0.0.1");
    assertThat(lookups).containsExactly("rebind.test");
  }

  @Test
  void oneRefusedAddressRefusesTheNameBeforeAnyConnection() {
    Egress egress =
        new Egress(LOOPBACK, answering(List.of(ip("127.0.0.1"), ip("169.254.169.254"))));

    Future<InetAddress> route = egress.route("mixed.test");

    assertThat(route.failed()).isTrue();
    assertThat(route.cause())
        .isInstanceOf(Egress.RefusedException.class)
        .hasMessage(
            "mixed.test resolves to 169.254.169.254, which is the cloud metadata service (link-local) "
                + "(169.254.169.254/32); allow it with --egress-allow");
    assertThat(route.cause().getStackTrace()).isEmpty();
  }

  @Test
  void ipLiteralsAreCheckedAsWrittenWithoutALookup() {
    Egress egress = new Egress(LOOPBACK, answering(List.of()));

    assertThat(egress.route("127.0.0.1").result()).isEqualTo(ip("127.0.0.1"));
    assertThat(egress.route("[::ffff:0:127.0.0.2]").cause())
        .isInstanceOf(Egress.RefusedException.class)
        .hasMessageContaining("SIIT IPv4-translated of 127.0.0.2");
    assertThat(egress.route("[fe80::1%eth0]").cause())
        .isInstanceOf(Egress.RefusedException.class)
        .hasMessage("not a valid IPv6 address: [fe80::1%eth0]");
    assertThat(lookups).isEmpty();
  }

  @Test
  void anEmptyAnswerAndAFailedLookupAreLookupFailuresNotRefusals() {
    Egress empty = new Egress(LOOPBACK, answering(List.of()));
    Egress failing =
        new Egress(
            LOOPBACK,
            host ->
                Future.failedFuture(new UnknownHostException("Failed to resolve '" + host + "'")));

    assertThat(empty.route("gone.test").cause())
        .isInstanceOf(UnknownHostException.class)
        .hasMessage("no address for gone.test");
    assertThat(failing.route("gone.test").cause())
        .isInstanceOf(UnknownHostException.class)
        .hasMessage("Failed to resolve 'gone.test'");
  }

  private Resolver answering(List<InetAddress> answer) {
    return host -> {
      lookups.add(host);
      return Future.succeededFuture(answer);
    };
  }
}
