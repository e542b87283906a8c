package dev.herald.http;

import dev.herald.api.v1alpha1.ErrorClass;
import io.netty.resolver.dns.DnsNameResolverException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Turns a transport exception into the error class and short message users read in status. */
final class ErrorClassifier {
  /** Long enough for a PKIX or hostname reason, short enough for a status field. */
  static final int MAX_MESSAGE = 300;

  /** "sun.security.x.FooException: " noise that JSSE nests into its messages. */
  private static final Pattern CLASS_PREFIX =
      Pattern.compile("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");

  /** Wrapper messages that say nothing about why TLS failed. */
  private static final Set<String> GENERIC_TLS = Set.of("Failed to create SSL connection", "null");

  record Classified(ErrorClass errorClass, String message) {}

  private ErrorClassifier() {}

  static Classified classify(Throwable failure) {
    List<Throwable> chain = chain(failure);
    // DNS first: a resolver query timeout arrives as UnknownHostException caused by a timeout,
    // and the user's fix is DNS, not a longer timeout.
    for (Throwable t : chain) {
      if (t instanceof UnknownHostException || t instanceof DnsNameResolverException) {
        return new Classified(ErrorClass.DnsFailure, "DNS lookup failed: " + text(t));
      }
    }
    // TLS before connection errors: a handshake failure closes the connection too, but the
    // certificate is what the receiver must fix.
    for (Throwable t : chain) {
      if (t instanceof CertificateExpiredException) {
        return new Classified(ErrorClass.TlsError, "certificate has expired (" + text(t) + ")");
      }
      if (t instanceof CertificateNotYetValidException) {
        return new Classified(
            ErrorClass.TlsError, "certificate is not yet valid (" + text(t) + ")");
      }
    }
    Throwable tls = null;
    for (Throwable t : chain) {
      if (t instanceof SSLException || t instanceof GeneralSecurityException) {
        if (tls == null) {
          tls = t;
        }
        // Vert.x wraps the JSSE exception in one saying only that the handshake failed; the
        // reason ("PKIX path building failed", "No subject alternative names ...") is below it.
        if (!GENERIC_TLS.contains(String.valueOf(t.getMessage()))) {
          tls = t;
          break;
        }
      }
    }
    if (tls != null) {
      return new Classified(ErrorClass.TlsError, "TLS handshake failed: " + text(tls));
    }
    for (Throwable t : chain) {
      // Netty's ConnectTimeoutException is a ConnectException: test it before the refusal case.
      if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
        return new Classified(ErrorClass.Timeout, "timed out: " + text(t));
      }
    }
    for (Throwable t : chain) {
      if (t instanceof ConnectException) {
        return new Classified(ErrorClass.ConnectionFailed, connectionText(t));
      }
    }
    return new Classified(ErrorClass.ConnectionFailed, connectionText(failure));
  }

  private static String connectionText(Throwable t) {
    String raw = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    if (raw.contains("refused")) {
      return "connection refused";
    }
    if (raw.contains("reset")) {
      return "connection reset by peer";
    }
    if (raw.contains("closed")) {
      return "connection closed before a response arrived";
    }
    return "connection failed: " + text(t);
  }

  /** The exception's own words, minus class-name noise, bounded. */
  static String text(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      message = t.getClass().getSimpleName();
    }
    return truncate(CLASS_PREFIX.matcher(message).replaceAll("").strip());
  }

  static String truncate(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 3) + "...";
  }

  private static List<Throwable> chain(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    // Bounded and cycle-safe: causes are arbitrary objects from third-party code.
    for (Throwable t = failure;
        t != null && chain.size() < 16 && seen.put(t, true) == null;
        t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
