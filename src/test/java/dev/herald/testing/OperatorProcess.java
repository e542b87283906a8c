package dev.herald.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The operator as users run it, {@code java -jar herald.jar run --namespaces NS}, as a separate
 * process with its output in a log file: the one launcher of the end-to-end suite and the bench.
 * Inherited {@code HERALD_*}, {@code KUBERNETES_*} and {@code JAVA_TOOL_OPTIONS} variables are
 * dropped so that the command line (and the environment the caller adds) alone decides. It can wait
 * for the start-up line in its log ({@link #awaitStarted}) or for {@code /readyz} on a known health
 * port ({@link #awaitReady}), and reads memory and CPU from /proc like a container runtime would.
 */
public final class OperatorProcess implements AutoCloseable {
  /** What the operator logs once its controllers run (informers synced). */
  public static final String STARTED = "herald started";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int healthPort;
  private final Path log;
  private final Instant startedAt;

  private OperatorProcess(Process process, int healthPort, Path log, Instant startedAt) {
    this.process = process;
    this.healthPort = healthPort;
    this.log = log;
    this.startedAt = startedAt;
  }

  /**
   * The command line: {@code java JVM_OPTIONS -jar JAR run --namespaces NAMESPACES --health-port
   * PORT}, the egress exception and plain http the receivers on 127.0.0.1 need (the defaults refuse
   * both), then {@code extra}.
   */
  public static List<String> command(
      Path jar, List<String> jvmOptions, String namespaces, int healthPort, List<String> extra) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "run",
            "--namespaces",
            namespaces,
            "--health-port",
            String.valueOf(healthPort),
            "--egress-allow=127.0.0.1/32",
            "--allow-plain-http"));
    command.addAll(extra);
    return command;
  }

  /**
   * Starts {@link #command} with its output appended to {@code log}.
   *
   * @param healthPort the port of {@code /readyz} and {@code /metrics}; 0 lets the operator choose
   *     (it logs it), and then {@link #awaitReady} and {@link #metrics} cannot reach it
   * @param kubeconfig the operator's KUBECONFIG; null: the inherited one
   * @param env variables added to the environment, e.g. fabric8's {@code
   *     KUBERNETES_IMPERSONATE_USERNAME}
   */
  public static OperatorProcess launch(
      Path jar,
      List<String> jvmOptions,
      String namespaces,
      int healthPort,
      List<String> extra,
      Path kubeconfig,
      Map<String, String> env,
      Path log) {
    List<String> command = command(jar, jvmOptions, namespaces, healthPort, extra);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Files.writeString(
          log, "# " + String.join(" ", command) + (env.isEmpty() ? "" : " " + env.keySet()) + "\n");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment()
          .keySet()
          .removeIf(
              k ->
                  k.startsWith("HERALD_")
                      || k.startsWith("KUBERNETES_")
                      || k.equals("JAVA_TOOL_OPTIONS"));
      if (kubeconfig != null) {
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
      }
      pb.environment().putAll(env);
      return new OperatorProcess(pb.start(), healthPort, log, Instant.now());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the operator", e);
    }
  }

  /** A port that was free a moment ago, for {@code --health-port}. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the operator logged that its controllers run (informers synced); fails with the log
   * if it died.
   */
  public OperatorProcess awaitStarted() {
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

  /** Waits for {@code /readyz} 200 on the health port: controllers started and informers synced. */
  public OperatorProcess awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the operator exited with " + process.exitValue() + "; log: " + log);
      }
      if (get("/readyz").map(r -> r.statusCode() == 200).orElse(false)) {
        return this;
      }
      pause(200);
    }
    throw new IllegalStateException(
        "the operator was not ready within " + timeout + "; log: " + log);
  }

  /** The Prometheus text of {@code /metrics}, or empty if it cannot be read. */
  public String metrics() {
    return get("/metrics").filter(r -> r.statusCode() == 200).map(HttpResponse::body).orElse("");
  }

  private Optional<HttpResponse<String>> get(String path) {
    if (healthPort == 0) {
      return Optional.empty();
    }
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path))
              .timeout(Duration.ofSeconds(10))
              .build();
      return Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The log so far. */
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

  public long pid() {
    return process.pid();
  }

  /**
   * Why the operator is not running or not ready: its exit code, and an OutOfMemoryError if it
   * logged one.
   */
  public String failure() {
    String text;
    try {
      text = Files.readString(log);
    } catch (IOException e) {
      text = "";
    }
    String state = process.isAlive() ? "running but not ready" : "exited " + process.exitValue();
    return state
        + (text.contains("OutOfMemoryError") ? ", OutOfMemoryError" : "")
        + " (log: "
        + log
        + ")";
  }

  /** Current resident set (VmRSS), bytes; -1 when /proc cannot tell. */
  public long rss() {
    return procStatus("VmRSS:");
  }

  /** The kernel's high-water mark of the resident set (VmHWM): the peak, without sampling. */
  public long peakRss() {
    return procStatus("VmHWM:");
  }

  private long procStatus(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  /** utime + stime in clock ticks, from /proc/PID/stat; -1 when unknown. */
  public long cpuTicks() {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Waits until the operator is idle: less than {@code idleShare} of one core used over a 3 s
   * window (start-up work, the first reconcile of everything, done), at most {@code max}.
   */
  public Duration awaitSettled(Duration max, double idleShare) {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    long ticksPerSecond = 100; // USER_HZ on Linux
    long before = cpuTicks();
    while (System.nanoTime() < deadline) {
      pause(3000);
      long now = cpuTicks();
      if (before >= 0 && now >= 0 && (now - before) < idleShare * 3 * ticksPerSecond) {
        break;
      }
      before = now;
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Heap used per {@code jstat -gc PID} (survivor, eden and old spaces used), bytes; NaN if jstat
   * is missing or cannot attach. For jars whose /metrics has no JVM memory.
   */
  public double heapUsedByJstat() {
    try {
      Process p =
          new ProcessBuilder(jdkTool("jstat"), "-gc", String.valueOf(pid()))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Double.NaN;
      }
      String[] lines = out.trim().split("\n");
      List<String> header = List.of(lines[0].trim().split("\\s+"));
      String[] values = lines[1].trim().split("\\s+");
      double kib = 0;
      for (String column : List.of("S0U", "S1U", "EU", "OU")) {
        kib += Double.parseDouble(values[header.indexOf(column)]);
      }
      return kib * 1024;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  /**
   * {@code jcmd PID GC.run}: a full collection, so heap used is what is live. False if jcmd is
   * missing.
   */
  public boolean forceGc() {
    try {
      Process p =
          new ProcessBuilder(jdkTool("jcmd"), String.valueOf(pid()), "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String jdkTool(String name) {
    Path tool = Path.of(System.getProperty("java.home"), "bin", name);
    return Files.isExecutable(tool) ? tool.toString() : name;
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

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
