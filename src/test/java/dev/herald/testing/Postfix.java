package dev.herald.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real MTA: an instance of Debian's Postfix of its own (config, queue and mail under one
 * directory), listening on 127.0.0.1 only, that accepts mail for {@code @herald.test} and delivers
 * it to one Maildir. It runs the real smtpd, queue manager and virtual delivery agent, so what it
 * accepts is what a company's relay would accept. Needs root and the {@code postfix} package
 * ({@code hack/e2e.sh} installs it).
 */
public final class Postfix implements AutoCloseable {
  /** The domain whose mail is kept; any local part is delivered to the one mailbox. */
  public static final String DOMAIN = "herald.test";

  private final Path dir;
  private final int port;

  private Postfix(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static Postfix start(Path dir) {
    int port = OperatorProcess.freePort();
    try {
      // postfix's own processes (user postfix) must reach the queue: no private temp directory
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      for (String sub : List.of("etc", "queue", "data", "mail")) {
        Files.createDirectories(dir.resolve(sub));
      }
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(dir.resolve("data"), users.lookupPrincipalByName("postfix"));
      Files.setOwner(dir.resolve("mail"), users.lookupPrincipalByName("nobody"));
      GroupPrincipal nogroup = users.lookupPrincipalByGroupName("nogroup");
      Files.getFileAttributeView(dir.resolve("mail"), PosixFileAttributeView.class)
          .setGroup(nogroup);
      Files.writeString(
          dir.resolve("etc/main.cf"),
          """
          compatibility_level = 3.6
          queue_directory = %1$s/queue
          data_directory = %1$s/data
          mail_owner = postfix
          setgid_group = postdrop
          inet_interfaces = 127.0.0.1
          inet_protocols = ipv4
          myhostname = mta.herald.test
          mydestination =
          mynetworks = 127.0.0.0/8
          smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
          virtual_mailbox_domains = %2$s
          virtual_mailbox_base = %1$s/mail
          virtual_mailbox_maps = static:inbox/
          virtual_uid_maps = static:%3$s
          virtual_gid_maps = static:%4$s
          virtual_minimum_uid = 1
          maillog_file_prefixes = %1$s
          maillog_file = %1$s/maillog
          alias_maps =
          alias_database =
          """
              .formatted(dir, DOMAIN, id("-u", "nobody"), id("-g", "nobody")));
      // Debian's services, with smtpd on our port instead of 25 and nothing chrooted
      StringBuilder master = new StringBuilder();
      for (String line : Files.readAllLines(Path.of("/etc/postfix/master.cf"))) {
        String l = line.replaceFirst("^smtp(\\s+)inet", "127.0.0.1:" + port + " inet");
        l =
            l.replaceFirst(
                "^([a-z0-9.:]+\\s+(?:inet|unix|unix-dgram|fifo|pass)\\s+\\S+\\s+\\S+\\s+)\\S+",
                "$1n");
        master.append(l).append('\n');
      }
      if (!master.toString().contains("postlogd")) {
        master.append("postlog   unix-dgram n  -       n       -       1       postlogd\n");
      }
      Files.writeString(dir.resolve("etc/master.cf"), master);
      run("postfix", "-c", dir.resolve("etc").toString(), "start");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up postfix in " + dir, e);
    }
    Postfix postfix = new Postfix(dir, port);
    postfix.awaitListening(Duration.ofSeconds(20));
    return postfix;
  }

  public int port() {
    return port;
  }

  /** The messages delivered so far, each as the raw text the mailbox holds. */
  public List<String> delivered() {
    Path inbox = dir.resolve("mail/inbox/new");
    if (!Files.isDirectory(inbox)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(inbox)) {
      return files
          .sorted()
          .map(
              f -> {
                try {
                  return Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Postfix's own log: what it accepted, refused and delivered. */
  public String log() {
    try {
      Path log = dir.resolve("maillog");
      return Files.isRegularFile(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private void awaitListening(Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .alias("postfix listening on 127.0.0.1:" + port + "; its log: " + log())
        .until(
            () -> {
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
              } catch (IOException e) {
                return false;
              }
            });
  }

  @Override
  public void close() {
    run("postfix", "-c", dir.resolve("etc").toString(), "stop");
  }

  private static String id(String flag, String user) {
    return run("id", flag, user).strip();
  }

  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(
          String.join(" ", command) + " (is Debian's postfix installed? hack/e2e.sh installs it)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
