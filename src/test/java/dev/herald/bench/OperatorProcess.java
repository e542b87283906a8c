package dev.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar herald.jar run} as users run it, one namespace, with a known health port so the
 * bench can read {@code /metrics}; memory read from /proc like a container runtime would.
 */
final class OperatorProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int healthPort;
  private final Path log;

  private OperatorProcess(Process process, int healthPort, Path log) {
    this.process = process;
    this.healthPort = healthPort;
    this.log = log;
  }

  static List<String> command(
      Path jar, List<String> jvmOptions, String namespace, int healthPort, List<String> extra) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "run",
            "--namespaces",
            namespace,
            "--health-port",
            String.valueOf(healthPort),
            "--egress-allow=127.0.0.1/32",
            "--allow-plain-http"));
    command.addAll(extra);
    return command;
  }

  static OperatorProcess launch(BenchOptions options, String namespace, List<String> extra) {
    return launch(options, options.jar, namespace, namespace, extra);
  }

  /**
   * {@code namespaces}: what --namespaces gets (comma-separated); {@code logName}: the log file's
   * name before -operator.log.
   */
  static OperatorProcess launch(
      BenchOptions options, Path jar, String namespaces, String logName, List<String> extra) {
    int port = freePort();
    List<String> command = command(jar, options.jvmOptions(), namespaces, port, extra);
    Path log = options.logs.resolve(logName + "-operator.log");
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "# " + String.join(" ", command) + "\n");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      // the command line alone decides, as in the e2e suite
      pb.environment()
          .keySet()
          .removeIf(
              k ->
                  k.startsWith("HERALD_")
                      || k.startsWith("KUBERNETES_")
                      || k.equals("JAVA_TOOL_OPTIONS"));
      return new OperatorProcess(pb.start(), port, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the operator", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for {@code /readyz} 200: controllers started and informers synced. */
  OperatorProcess awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the operator exited with " + process.exitValue() + "; log: " + log);
      }
      if (get("/readyz").map(r -> r.statusCode() == 200).orElse(false)) {
        return this;
      }
      Bench.pause(200);
    }
    throw new IllegalStateException(
        "the operator was not ready within " + timeout + "; log: " + log);
  }

  /** The Prometheus text of {@code /metrics}, or empty if it cannot be read. */
  String metrics() {
    return get("/metrics").filter(r -> r.statusCode() == 200).map(HttpResponse::body).orElse("");
  }

  private Optional<HttpResponse<String>> get(String path) {
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

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Why the operator is not running or not ready: its exit code, and an OutOfMemoryError if it
   * logged one.
   */
  String failure() {
    String log;
    try {
      log = Files.readString(this.log);
    } catch (IOException e) {
      log = "";
    }
    String state = process.isAlive() ? "running but not ready" : "exited " + process.exitValue();
    return state
        + (log.contains("OutOfMemoryError") ? ", OutOfMemoryError" : "")
        + " (log: "
        + this.log
        + ")";
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Current resident set (VmRSS), bytes; -1 when /proc cannot tell. */
  long rss() {
    return procStatus("VmRSS:");
  }

  /** The kernel's high-water mark of the resident set (VmHWM): the peak, without sampling. */
  long peakRss() {
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
  long cpuTicks() {
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
  Duration awaitSettled(Duration max, double idleShare) {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    long ticksPerSecond = 100; // USER_HZ on Linux
    long before = cpuTicks();
    while (System.nanoTime() < deadline) {
      Bench.pause(3000);
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
  double heapUsedByJstat() {
    try {
      Process p =
          new ProcessBuilder(jdkTool("jstat"), "-gc", String.valueOf(pid()))
              .redirectErrorStream(true)
              .start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
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

  private static String jdkTool(String name) {
    Path tool = Path.of(System.getProperty("java.home"), "bin", name);
    return Files.isExecutable(tool) ? tool.toString() : name;
  }

  /**
   * {@code jcmd PID GC.run}: a full collection, so heap used is what is live. False if jcmd is
   * missing.
   */
  boolean forceGc() {
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

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
