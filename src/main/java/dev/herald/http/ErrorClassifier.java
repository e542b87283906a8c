package dev.herald.http;

import dev.herald.api.v1alpha1.ErrorClass;
import io.netty.handler.proxy.ProxyConnectException;
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

  /**
   * @param hint a sharper hint than the class's ({@link FailureHints}) where the failure says which
   *     side must fix what; null for the class's own
   */
  record Classified(ErrorClass errorClass, String message, String hint) {
    Classified(ErrorClass errorClass, String message) {
      this(errorClass, message, null);
    }
  }

  private ErrorClassifier() {}

  static Classified classify(Throwable failure) {
    return classify(failure, false);
  }

  /**
   * @param viaProxy whether the connection went to a forward proxy: then a refused or timed-out
   *     connection is the proxy's, and so is any answer to CONNECT ({@link ProxyConnectException})
   */
  static Classified classify(Throwable failure, boolean viaProxy) {
    List<Throwable> chain = chain(failure);
    for (Throwable t : chain) {
      if (t instanceof ProxyConnectException) {
        return proxyClassified(t);
      }
    }
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
        return new Classified(
            ErrorClass.TlsError,
            "certificate has expired (" + text(t) + ")",
            "the receiver must renew its certificate");
      }
      if (t instanceof CertificateNotYetValidException) {
        return new Classified(
            ErrorClass.TlsError,
            "certificate is not yet valid (" + text(t) + ")",
            "check the receiver's certificate dates and clocks");
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
      return tlsClassified(text(tls));
    }
    for (Throwable t : chain) {
      // Netty's ConnectTimeoutException is a ConnectException: test it before the refusal case.
      if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
        return new Classified(ErrorClass.Timeout, "timed out: " + text(t));
      }
    }
    for (Throwable t : chain) {
      if (t instanceof ConnectException) {
        return viaProxy
            ? new Classified(ErrorClass.ProxyError, "proxy: " + connectionText(t))
            : new Classified(ErrorClass.ConnectionFailed, connectionText(t));
      }
    }
    return new Classified(ErrorClass.ConnectionFailed, connectionText(failure));
  }

  /** TLS alerts the receiver sends when it does not accept Herald's client certificate. */
  private static final Pattern CLIENT_CERTIFICATE_ALERT =
      Pattern.compile(
          "Received fatal alert: (bad_certificate|certificate_required|unknown_ca"
              + "|certificate_unknown|certificate_expired|certificate_revoked|access_denied"
              + "|unsupported_certificate)");

  /**
   * What a TLS failure says, led by which side's certificate is at fault, with the hint for that
   * side, since "handshake failed" alone sends users guessing.
   */
  private static Classified tlsClassified(String reason) {
    var alert = CLIENT_CERTIFICATE_ALERT.matcher(reason);
    if (alert.find()) {
      return tls(
          "the receiver rejected the client certificate (" + alert.group(1) + ")",
          "set spec.tls.clientCertificateSecretName to a certificate from a CA the receiver"
              + " trusts, and check that it has not expired");
    }
    if (reason.contains("PKIX path building failed")
        || reason.contains("unable to find valid certification path")) {
      return tls(
          "the receiver's certificate is not from a trusted CA (" + reason + ")",
          "for a private CA, trust it with spec.tls.caBundle");
    }
    if (reason.contains("No subject alternative") || reason.contains("No name matching")) {
      return tls(
          "the receiver's certificate is not valid for the URL's host (" + reason + ")",
          "use a host name the certificate names");
    }
    return tls("TLS handshake failed: " + reason, null);
  }

  private static Classified tls(String message, String hint) {
    return new Classified(ErrorClass.TlsError, truncate(message), hint);
  }

  private static Classified proxyClassified(Throwable t) {
    String raw = String.valueOf(t.getMessage());
    int status = raw.indexOf("status: ");
    if (status < 0) {
      return new Classified(ErrorClass.ProxyError, "proxy failed: " + text(t));
    }
    String answer = raw.substring(status + "status: ".length()).strip();
    String message = truncate("proxy answered " + answer + " to CONNECT");
    // 407 by the standard; tinyproxy answers a CONNECT with bad credentials 401
    if (answer.startsWith("407") || answer.startsWith("401")) {
      return new Classified(
          ErrorClass.ProxyError, message, "check the proxy credentials (--proxy-credentials-dir)");
    }
    if (answer.startsWith("403")) {
      return new Classified(
          ErrorClass.ProxyError, message, "the proxy's rules refuse this destination or port");
    }
    return new Classified(
        ErrorClass.ProxyError,
        message,
        "the proxy could not reach the receiver: check that the receiver is up and reachable"
            + " from the proxy");
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
