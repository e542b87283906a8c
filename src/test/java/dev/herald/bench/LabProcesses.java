package dev.herald.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The lab's kube-apiserver and etcd (hack/kube-apiserver/up.sh) as the bench can see them: their
 * pids, from the pid files under {@code $LAB/run}, or else from the command line of a process
 * serving the lab's ports (a lab started some other way); and etcd's own {@code /metrics}, which
 * up.sh serves on {@code ETCD_PORT + 2}.
 */
final class LabProcesses {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private LabProcesses() {}

  static String lab() {
    return System.getenv()
        .getOrDefault("LAB", System.getProperty("user.home") + "/.cache/kube-lab");
  }

  static int apiPort() {
    return Integer.parseInt(System.getenv().getOrDefault("API_PORT", "16443"));
  }

  static int etcdPort() {
    return Integer.parseInt(System.getenv().getOrDefault("ETCD_PORT", "23790"));
  }

  /** The pid of "apiserver" or "etcd"; -1 when the bench cannot see it. */
  static long pid(String name) {
    try {
      long pid = Long.parseLong(Files.readString(Path.of(lab(), "run", name + ".pid")).trim());
      if (Files.exists(Path.of("/proc", String.valueOf(pid)))) {
        return pid;
      }
    } catch (IOException | RuntimeException e) {
      // no pid file: look for the process by its command line
    }
    String needle =
        name.equals("apiserver")
            ? "--secure-port=" + apiPort()
            : "--listen-client-urls\0http://127.0.0.1:" + etcdPort();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> cmdline(p).contains(needle))
          .mapToLong(p -> Long.parseLong(p.getFileName().toString()))
          .findFirst()
          .orElse(-1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String cmdline(Path proc) {
    try {
      return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** etcd's Prometheus text, or empty when it cannot be read. */
  static String etcdMetrics() {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (etcdPort() + 2) + "/metrics"))
              .timeout(Duration.ofSeconds(10))
              .build();
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
