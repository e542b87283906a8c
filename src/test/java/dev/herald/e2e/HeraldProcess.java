package dev.herald.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator as users run it: {@code java -jar target/herald.jar run --namespaces NS
 * --health-port 0}, a separate process with the suite's kubeconfig, its output in a log file under
 * target/e2e.
 */
public final class HeraldProcess implements AutoCloseable {
  static final String STARTED = "herald started";

  private final Process process;
  private final Path log;
  private final Instant startedAt;

  private HeraldProcess(Process process, Path log, Instant startedAt) {
    this.process = process;
    this.log = log;
    this.startedAt = startedAt;
  }

  /**
   * Starts the jar watching one namespace. {@code env} adds environment variables, e.g. fabric8's
   * {@code KUBERNETES_IMPERSONATE_USERNAME}. Inherited {@code HERALD_*} and {@code KUBERNETES_*}
   * variables are dropped so the command line alone decides.
   */
  static HeraldProcess launch(
      Path kubeconfig,
      String namespace,
      Path log,
      Map<String, String> env,
      List<String> extraArgs) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                E2ESettings.jar().toString(),
                "run",
                "--namespaces",
                namespace,
                "--health-port",
                "0",
                "--reconcile-threads",
                "8",
                // the test receivers listen on 127.0.0.1 over http, which the egress policy refuses
                // by default
                "--egress-allow=127.0.0.1/32",
                "--allow-plain-http"));
    command.addAll(extraArgs);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "# " + String.join(" ", command) + " " + env.keySet() + "\n");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment()
          .keySet()
          .removeIf(k -> k.startsWith("HERALD_") || k.startsWith("KUBERNETES_"));
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().putAll(env);
      return new HeraldProcess(pb.start(), log, Instant.now());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the operator", e);
    }
  }

  /**
   * Waits until the operator logged that its controllers run (informers synced); fails with the log
   * if it died.
   */
  public HeraldProcess awaitStarted() {
    await("operator start (" + log + ")")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "the operator exited with " + process.exitValue() + ":\n" + log());
              }
              return log().contains(STARTED);
            });
    return this;
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  public Path logFile() {
    return log;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no chance to tidy up, like a crashed or evicted pod. */
  public void kill() {
    process.destroyForcibly();
    waitForExit(Duration.ofSeconds(30));
  }

  /** SIGTERM, as kubelet does; the shutdown hook lets reconciles in flight finish. */
  public void stop() {
    if (process.isAlive()) {
      process.destroy();
      if (!waitForExit(Duration.ofSeconds(30))) {
        kill();
      }
    }
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
