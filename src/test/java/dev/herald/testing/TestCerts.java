package dev.herald.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made in memory for the TLS tests: no files, no keytool processes. */
public final class TestCerts {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate and its private key, as PEM for Vert.x. */
  public record Issued(X509Certificate certificate, KeyPair keys) {
    public String certPem() {
      try {
        return pem("CERTIFICATE", certificate.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    public String keyPem() {
      return pem("PRIVATE KEY", keys.getPrivate().getEncoded()); // PKCS#8
    }

    public PemKeyCertOptions keyCertOptions() {
      return new PemKeyCertOptions()
          .addCertValue(Buffer.buffer(certPem()))
          .addKeyValue(Buffer.buffer(keyPem()));
    }

    public PemTrustOptions trustOptions() {
      return new PemTrustOptions().addCertValue(Buffer.buffer(certPem()));
    }
  }

  private TestCerts() {}

  public static Issued ca(String commonName) {
    KeyPair keys = keyPair();
    X500Name name = new X500Name("CN=" + commonName);
    Instant now = Instant.now();
    return sign(
        builder(
            name, name, keys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), true),
        keys,
        keys);
  }

  /** A server certificate for 127.0.0.1 (IP SAN) issued by {@code issuer}. */
  public static Issued server(
      Issued issuer, Instant notBefore, Instant notAfter, GeneralName... names) {
    KeyPair keys = keyPair();
    X500Name issuerName = new X500Name(issuer.certificate().getSubjectX500Principal().getName());
    X509v3CertificateBuilder builder =
        builder(issuerName, new X500Name("CN=receiver"), keys, notBefore, notAfter, false);
    addSans(builder, names);
    return sign(builder, keys, issuer.keys());
  }

  public static Issued server(Issued issuer, GeneralName... names) {
    Instant now = Instant.now();
    return server(issuer, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), names);
  }

  /** A client certificate (clientAuth) issued by {@code issuer}, valid between the two times. */
  public static Issued client(Issued issuer, Instant notBefore, Instant notAfter) {
    KeyPair keys = keyPair();
    X500Name issuerName = new X500Name(issuer.certificate().getSubjectX500Principal().getName());
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Name("CN=herald client"),
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      return sign(builder, keys, issuer.keys());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Issued client(Issued issuer) {
    Instant now = Instant.now();
    return client(issuer, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
  }

  /** A server certificate that signs itself: no CA vouches for it. */
  public static Issued selfSigned(GeneralName... names) {
    KeyPair keys = keyPair();
    X500Name name = new X500Name("CN=self-signed receiver");
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        builder(
            name, name, keys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), false);
    addSans(builder, names);
    return sign(builder, keys, keys);
  }

  /**
   * A receiver's https options: a certificate for 127.0.0.1 from {@code serverCa}, requiring a
   * client certificate from {@code clientsFrom} unless it is null, offering only {@code
   * onlyProtocol} unless it is null.
   */
  public static HttpServerOptions httpsOptions(
      Issued serverCa, Issued clientsFrom, String onlyProtocol) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setKeyCertOptions(server(serverCa, ip("127.0.0.1")).keyCertOptions());
    if (clientsFrom != null) {
      options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(clientsFrom.trustOptions());
    }
    if (onlyProtocol != null) {
      options.setEnabledSecureTransportProtocols(Set.of(onlyProtocol));
    }
    return options;
  }

  public static GeneralName ip(String address) {
    return new GeneralName(GeneralName.iPAddress, address);
  }

  public static GeneralName dns(String name) {
    return new GeneralName(GeneralName.dNSName, name);
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer,
      X500Name subject,
      KeyPair keys,
      Instant notBefore,
      Instant notAfter,
      boolean ca) {
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      }
      return builder;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void addSans(X509v3CertificateBuilder builder, GeneralName... names) {
    try {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Issued sign(X509v3CertificateBuilder builder, KeyPair subject, KeyPair issuer) {
    try {
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
      return new Issued(certificate, subject);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      // EC keys: generated in milliseconds, where RSA would take a good part of a second each.
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
