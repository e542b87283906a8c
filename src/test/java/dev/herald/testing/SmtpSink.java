package dev.herald.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real SMTP server on 127.0.0.1, just enough of RFC 5321 (EHLO/HELO, MAIL FROM, RCPT TO, DATA,
 * RSET, NOOP, QUIT) to capture what a client sends. STARTTLS only when made with a TLS context; no
 * AUTH: clients must not ask.
 */
public final class SmtpSink implements AutoCloseable {
  /**
   * One accepted message: envelope, the raw DATA (headers and body, dot-unstuffed), and whether it
   * came over TLS.
   */
  public record Mail(String from, List<String> to, String data, boolean overTls) {}

  private final ServerSocket server;
  private final List<Mail> mails = new CopyOnWriteArrayList<>();
  private final List<String> tlsFailures = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private final SSLContext tls;

  public SmtpSink() {
    this(null);
  }

  /** Offers STARTTLS with the key and certificate of {@code tls}. */
  public SmtpSink(SSLContext tls) {
    this.tls = tls;
    try {
      server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    acceptor = new Thread(this::acceptLoop, "smtp-sink");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public List<Mail> mails() {
    return List.copyOf(mails);
  }

  /** Sessions whose STARTTLS handshake failed, with the reason this side saw. */
  public List<String> tlsFailures() {
    return List.copyOf(tlsFailures);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread t = new Thread(() -> session(socket), "smtp-sink-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void session(Socket plain) {
    Socket socket = plain;
    try (plain) {
      socket.setSoTimeout(10_000);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      reply(out, "220 127.0.0.1 SmtpSink ready");
      String from = null;
      List<String> to = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        String upper = line.toUpperCase(Locale.ROOT);
        if (upper.startsWith("EHLO")) {
          boolean offerTls = tls != null && !(socket instanceof SSLSocket);
          reply(
              out,
              "250-127.0.0.1 hello\r\n"
                  + (offerTls ? "250-STARTTLS\r\n" : "")
                  + "250-8BITMIME\r\n250 SIZE 10485760");
        } else if (upper.equals("STARTTLS") && tls != null && !(socket instanceof SSLSocket)) {
          reply(out, "220 go ahead");
          SSLSocket secure =
              (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
          secure.setUseClientMode(false);
          try {
            secure.startHandshake();
          } catch (IOException e) {
            tlsFailures.add(String.valueOf(e.getMessage()));
            secure.close();
            return;
          }
          socket = secure;
          in =
              new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
          out = socket.getOutputStream();
        } else if (upper.startsWith("HELO")) {
          reply(out, "250 127.0.0.1 hello");
        } else if (upper.startsWith("MAIL FROM:")) {
          from = address(line.substring(10));
          to = new ArrayList<>();
          reply(out, "250 OK");
        } else if (upper.startsWith("RCPT TO:")) {
          to.add(address(line.substring(8)));
          reply(out, "250 OK");
        } else if (upper.equals("DATA")) {
          reply(out, "354 end with <CRLF>.<CRLF>");
          StringBuilder data = new StringBuilder();
          String l;
          while ((l = in.readLine()) != null && !l.equals(".")) {
            data.append(l.startsWith("..") ? l.substring(1) : l).append("\r\n");
          }
          mails.add(new Mail(from, List.copyOf(to), data.toString(), socket instanceof SSLSocket));
          reply(out, "250 OK queued");
        } else if (upper.startsWith("QUIT")) {
          reply(out, "221 bye");
          return;
        } else if (upper.startsWith("RSET") || upper.startsWith("NOOP")) {
          reply(out, "250 OK");
        } else {
          reply(out, "502 command not implemented");
        }
      }
    } catch (IOException e) {
      // client went away
    }
  }

  private static String address(String arg) {
    String s = arg.trim();
    int lt = s.indexOf('<');
    int gt = s.indexOf('>');
    return lt >= 0 && gt > lt ? s.substring(lt + 1, gt) : s;
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
  }
}
