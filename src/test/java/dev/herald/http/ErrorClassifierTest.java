package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.ErrorClass;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateExpiredException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

  @Test
  void unknownHostAnywhereInTheChainIsDns() {
    UnknownHostException dns = new UnknownHostException("Failed to resolve 'x.invalid'");
    dns.initCause(new TimeoutException("query timed out"));

    assertThat(ErrorClassifier.classify(new IOException("wrapped", dns)).errorClass())
        .isEqualTo(ErrorClass.DnsFailure);
  }

  @Test
  void nettyConnectTimeoutIsATimeoutNotARefusal() {
    assertThat(
            ErrorClassifier.classify(
                    new io.netty.channel.ConnectTimeoutException("connection timed out"))
                .errorClass())
        .isEqualTo(ErrorClass.Timeout);
  }

  @Test
  void refusedResetAndClosedAreConnectionFailures() {
    assertThat(ErrorClassifier.classify(new ConnectException("Connection refused: /127.0.0.1:1")))
        .isEqualTo(
            new ErrorClassifier.Classified(ErrorClass.ConnectionFailed, "connection refused"));
    assertThat(ErrorClassifier.classify(new IOException("Connection reset by peer")).message())
        .isEqualTo("connection reset by peer");
    assertThat(
            ErrorClassifier.classify(new HttpClosedException("Connection was closed")).errorClass())
        .isEqualTo(ErrorClass.ConnectionFailed);
  }

  @Test
  void expiredCertificateIsNamedAsSuch() {
    SSLHandshakeException handshake = new SSLHandshakeException("Failed to create SSL connection");
    handshake.initCause(new CertificateExpiredException("NotAfter: Mon Jan 01 00:00:00 UTC 2024"));

    ErrorClassifier.Classified classified = ErrorClassifier.classify(handshake);

    assertThat(classified.errorClass()).isEqualTo(ErrorClass.TlsError);
    assertThat(classified.message()).startsWith("certificate has expired");
  }

  @Test
  void jsseClassNamesAreStrippedAndMessagesBounded() {
    SSLHandshakeException pkix =
        new SSLHandshakeException(
            "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: "
                + "unable to find valid certification path to requested target");
    ErrorClassifier.Classified classified = ErrorClassifier.classify(pkix);
    assertThat(classified.message())
        .isEqualTo(
            "the receiver's certificate is not from a trusted CA (PKIX path building failed: unable to find valid certification path to requested target)");
    assertThat(classified.hint()).isEqualTo("for a private CA, trust it with spec.tls.caBundle");

    assertThat(ErrorClassifier.classify(new SSLHandshakeException("x".repeat(5000))).message())
        .hasSizeLessThanOrEqualTo("TLS handshake failed: ".length() + ErrorClassifier.MAX_MESSAGE);
  }

  @Test
  void aCyclicCauseChainDoesNotLoop() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    a.initCause(b);

    assertThat(ErrorClassifier.classify(a).errorClass()).isEqualTo(ErrorClass.ConnectionFailed);
  }
}
