package dev.herald.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real forward proxy (Debian's tinyproxy, installed by hack/lib.sh) on 127.0.0.1, with basic
 * authentication, started and stopped by the test. Its log tells which CONNECT targets it was asked
 * for.
 */
public final class Tinyproxy implements AutoCloseable {
  public static final String USER = "herald";

  private final Process process;
  private final int port;
  private final Path log;

  private Tinyproxy(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static Tinyproxy start(String password) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("tinyproxy");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path config = dir.resolve("tinyproxy.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Port " + port,
            "Listen 127.0.0.1",
            "Timeout 30",
            "MaxClients 50",
            "Allow 127.0.0.1",
            "BasicAuth " + USER + " " + password,
            // no ConnectPort line: CONNECT to any port (the receivers listen on random ones)
            "LogLevel Connect",
            ""));
    Path log = dir.resolve("tinyproxy.log");
    Process process =
        new ProcessBuilder("tinyproxy", "-d", "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      try {
        new Socket("127.0.0.1", port).close();
        return new Tinyproxy(process, port, log);
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IOException("tinyproxy exited: " + Files.readString(log));
        }
        Thread.sleep(50);
      }
    }
    process.destroyForcibly();
    throw new IOException("tinyproxy did not listen on " + port);
  }

  public int port() {
    return port;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    stop();
  }

  /** Stops the proxy, as an outage would; closing it later does nothing more. */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
