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

/**
 * A real SMTP server on 127.0.0.1, just enough of RFC 5321 (EHLO/HELO, MAIL FROM, RCPT TO, DATA,
 * RSET, NOOP, QUIT) to capture what a client sends. No STARTTLS, no AUTH: clients must not ask.
 */
public final class SmtpSink implements AutoCloseable {
  /** One accepted message: envelope and the raw DATA (headers and body, dot-unstuffed). */
  public record Mail(String from, List<String> to, String data) {}

  private final ServerSocket server;
  private final List<Mail> mails = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public SmtpSink() {
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

  private void session(Socket socket) {
    try (socket) {
      socket.setSoTimeout(10_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      reply(out, "220 127.0.0.1 SmtpSink ready");
      String from = null;
      List<String> to = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        String upper = line.toUpperCase(Locale.ROOT);
        if (upper.startsWith("EHLO")) {
          reply(out, "250-127.0.0.1 hello\r\n250-8BITMIME\r\n250 SIZE 10485760");
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
          mails.add(new Mail(from, List.copyOf(to), data.toString()));
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
