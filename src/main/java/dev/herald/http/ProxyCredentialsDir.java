package dev.herald.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxy credentials from a mounted Secret of type {@code kubernetes.io/basic-auth}: the files
 * {@code username} and {@code password} of a directory. Read again at most every {@link #REREAD},
 * so when the kubelet updates the mount after a Secret edit, the next attempts use the new pair
 * without a restart.
 */
public final class ProxyCredentialsDir implements Supplier<Optional<ProxySettings.Credentials>> {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyCredentialsDir.class);
  static final Duration REREAD = Duration.ofSeconds(10);
  private static final long MAX_BYTES = 4096;

  private final Path dir;
  private Optional<ProxySettings.Credentials> current = Optional.empty();
  private long readAtNanos;
  private boolean read;

  public ProxyCredentialsDir(Path dir) {
    this.dir = dir;
  }

  @Override
  public synchronized Optional<ProxySettings.Credentials> get() {
    long now = System.nanoTime();
    if (!read || now - readAtNanos >= REREAD.toNanos()) {
      current = readNow();
      readAtNanos = now;
      read = true;
    }
    return current;
  }

  private Optional<ProxySettings.Credentials> readNow() {
    try {
      String username = file("username");
      String password = file("password");
      return Optional.of(new ProxySettings.Credentials(username, password));
    } catch (IOException e) {
      // names the file only; the attempt then meets the proxy's 407, which says what to fix
      LOG.warn("proxy credentials in {} not readable: {}", dir, e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  private String file(String name) throws IOException {
    Path path = dir.resolve(name);
    if (Files.size(path) > MAX_BYTES) {
      throw new IOException(path + " is over " + MAX_BYTES + " bytes");
    }
    // a trailing newline from `echo` is not part of the credential
    return Files.readString(path, StandardCharsets.UTF_8).strip();
  }

  @Override
  public String toString() {
    return "credentials from " + dir;
  }
}
