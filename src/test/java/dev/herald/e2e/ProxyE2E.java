package dev.herald.e2e;

import static dev.herald.e2e.Manifests.caBundleConfigMap;
import static dev.herald.e2e.Manifests.delivery;
import static dev.herald.e2e.Manifests.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.OperatorProcess;
import dev.herald.testing.TestCerts;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.Tinyproxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's forward proxy on the real API server: started with {@code --proxy} and the proxy
 * credentials in a directory (as a mounted {@code kubernetes.io/basic-auth} Secret), it tunnels to
 * an https receiver through a real tinyproxy that demands them, an endpoint with {@code
 * bypassProxy} connects directly, and a proxy that is gone is a {@code ProxyError}.
 */
class ProxyE2E {
  @RegisterExtension static final E2EEnvironment env = new E2EEnvironment("proxy");

  @Test
  void attemptsTunnelThroughTheProxyUnlessBypassedAndAStoppedProxyIsAProxyError() throws Exception {
    String password = "proxy-pass-" + System.nanoTime();
    TestCerts.Issued ca = TestCerts.ca("herald e2e proxy CA");
    TestReceiver proxied = env.receiver(TestCerts.httpsOptions(ca, null, null));
    TestReceiver direct = env.receiver(TestCerts.httpsOptions(ca, null, null));
    Path credentials = Files.createTempDirectory("proxy-credentials");
    Files.writeString(credentials.resolve("username"), Tinyproxy.USER);
    Files.writeString(credentials.resolve("password"), password);
    env.apply(caBundleConfigMap("proxy-ca", ca.certPem()));
    String tls = "tls: {caBundle: {configMapName: proxy-ca}}";
    try (Tinyproxy proxy = Tinyproxy.start(password)) {
      OperatorProcess operator =
          env.startOperator(
                  Map.of(),
                  List.of(
                      "--proxy",
                      "http://127.0.0.1:" + proxy.port(),
                      "--proxy-credentials-dir",
                      credentials.toString()))
              .awaitStarted();
      env.apply(endpoint("proxied", proxied.url(), "1h", tls));
      env.apply(endpoint("direct", direct.url(), "1h", tls + "\nbypassProxy: true"));
      env.apply(delivery("proxied-1", "proxied", "{\"n\": 1}"));
      env.apply(delivery("direct-1", "direct", "{\"n\": 1}"));

      env.awaitDeliveryPhase("proxied-1", "Succeeded");
      env.awaitDeliveryPhase("direct-1", "Succeeded");
      assertThat(proxied.received()).hasSize(1);
      assertThat(direct.received()).hasSize(1);
      String log = proxy.log();
      assertThat(log)
          .as("tinyproxy's log")
          .contains("CONNECT 127.0.0.1:" + proxied.port() + " ")
          .doesNotContain("127.0.0.1:" + direct.port())
          .doesNotContain(password);

      // the mounted credentials changed: read again without a restart, and refused by the proxy
      Files.writeString(credentials.resolve("password"), "wrong-" + password);
      Thread.sleep(11_000); // reread every 10 s
      env.apply(delivery("proxied-refused", "proxied", "{\"n\": 0}"));
      env.awaitField("whd", "proxied-refused", ".status.lastError.class", "ProxyError"::equals);
      assertThat(env.jsonpath("whd", "proxied-refused", ".status.lastError.message"))
          .matches("proxy answered 40[17] .*");
      assertThat(env.jsonpath("whd", "proxied-refused", ".status.lastError.hint"))
          .contains("check the proxy credentials");
      assertThat(proxied.received()).hasSize(1);

      // the proxy gone: a ProxyError, not a receiver's failure; the bypassing endpoint is
      // unaffected
      proxy.stop();
      env.apply(delivery("proxied-2", "proxied", "{\"n\": 2}"));
      env.apply(delivery("direct-2", "direct", "{\"n\": 2}"));
      env.awaitField("whd", "proxied-2", ".status.lastError.class", "ProxyError"::equals);
      assertThat(env.jsonpath("whd", "proxied-2", ".status.lastError.message"))
          .isEqualTo("proxy: connection refused");
      env.awaitDeliveryPhase("direct-2", "Succeeded");
      assertThat(proxied.received()).hasSize(1);

      for (String haystack :
          List.of(
              operator.log(),
              env.ok("get", "events", "-o", "yaml"),
              env.ok("get", "whe,whd", "-o", "yaml"))) {
        assertThat(haystack).doesNotContain(password).doesNotContain(Tinyproxy.USER + ":");
      }
    } finally {
      try (var files = Files.list(credentials)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(credentials);
    }
  }
}
