package dev.herald.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs kubectl the way a user does, with the suite's kubeconfig; captures stdout, stderr and the
 * exit code.
 */
public final class Kubectl {
  private static final long TIMEOUT_SECONDS = 90;

  /** What one kubectl invocation did. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** stderr without kubectl's client/server version-skew warning. */
    public String errors() {
      return stderr
          .lines()
          .filter(l -> !l.startsWith("WARNING: version difference"))
          .collect(Collectors.joining("\n"));
    }

    @Override
    public String toString() {
      return String.join(" ", command)
          + " -> exit "
          + exitCode
          + "\n--- stdout\n"
          + stdout
          + "\n--- stderr\n"
          + errors();
    }
  }

  private final String binary;
  private final Path kubeconfig;

  public Kubectl(String binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  /**
   * kubectl from -Dherald.e2e.kubectl or the PATH; the kubeconfig from -Dherald.e2e.kubeconfig,
   * KUBECONFIG or the kube-lab default.
   */
  public static Kubectl fromEnvironment() {
    return new Kubectl(
        System.getProperty("herald.e2e.kubectl", "kubectl"), E2ESettings.kubeconfig());
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Result run(String... args) {
    return runWithInput(null, args);
  }

  public Result runWithInput(String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(List.of(args));
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("kubectl", ".out");
      err = Files.createTempFile("kubectl", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      Process process = pb.start();
      try (OutputStream in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + "s");
      }
      return new Result(command, process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /**
   * Runs and fails the test, with everything kubectl printed, unless the exit code is 0; returns
   * stdout.
   */
  public String ok(String... args) {
    return okWithInput(null, args);
  }

  public String okWithInput(String stdin, String... args) {
    Result result = runWithInput(stdin, args);
    if (!result.ok()) {
      throw new AssertionError(result.toString());
    }
    return result.stdout();
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temp file left behind is harmless
      }
    }
  }
}
