package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A receiver that speaks only TLS 1.0 or 1.1 is a TlsError, and nothing reaches it.
 *
 * <p>JDK 17 lists TLSv1 and TLSv1.1 in {@code jdk.tls.disabledAlgorithms}, so in this JVM no such
 * server could even be started and the JDK, not Herald, would be what refuses. The receiver and
 * Herald's sender therefore run in a child JVM ({@link LegacyTlsProbe}) whose security properties
 * re-enable both protocols: there only Herald's client configuration (TLS 1.2 and 1.3) stands
 * between the sender and a legacy handshake, and a control client that enables the old protocol
 * proves the receiver does answer over it. This JVM's security settings are not touched.
 */
class LegacyTlsServerTest {
  private static final List<String> LEGACY = List.of("TLSv1", "TLSv1.1");

  @Test
  void aReceiverSpeakingOnlyTls10Or11IsATlsErrorWhileALegacyClientReachesIt() throws Exception {
    String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
    assertThat(disabled).as("the JDK default this test works around").contains("TLSv1.1");
    String reenabled =
        Arrays.stream(disabled.split(","))
            .map(String::strip)
            .filter(a -> !LEGACY.contains(a))
            .collect(Collectors.joining(", "));
    Path security = Files.createTempFile("herald-legacy-tls", ".security");
    try {
      Files.writeString(security, "jdk.tls.disabledAlgorithms=" + reenabled + "\n");
      List<String> output = runProbe(security);
      output.stream().filter(l -> l.startsWith("probe ")).forEach(System.out::println);

      for (String protocol : LEGACY) {
        String line =
            output.stream()
                .filter(l -> l.startsWith("probe " + protocol + " "))
                .findFirst()
                .orElseThrow(
                    () ->
                        new AssertionError(
                            "no result for " + protocol + ":\n" + String.join("\n", output)));
        assertThat(line)
            .as("a client enabling %s reaches the receiver", protocol)
            .contains(" control=200 ");
        assertThat(line)
            .as("Herald refuses the %s handshake", protocol)
            .contains(" herald=TlsError ")
            .contains(" received=0 ");
      }
    } finally {
      Files.deleteIfExists(security);
    }
  }

  private static List<String> runProbe(Path security) throws IOException, InterruptedException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Djava.security.properties=" + security,
            "-cp",
            System.getProperty("java.class.path"),
            LegacyTlsProbe.class.getName(),
            "TLSv1",
            "TLSv1.1");
    Path out = Files.createTempFile("herald-legacy-tls", ".out");
    try {
      Process probe =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!probe.waitFor(90, TimeUnit.SECONDS)) {
        probe.destroyForcibly().waitFor();
        throw new AssertionError("the probe JVM did not finish in 90s:\n" + Files.readString(out));
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(probe.exitValue()).as("probe JVM exit code; output:\n%s", text).isZero();
      return text.lines().toList();
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
