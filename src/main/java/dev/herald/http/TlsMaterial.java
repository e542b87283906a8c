package dev.herald.http;

import dev.herald.egress.ServerNameTrust;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * The TLS an endpoint chose, parsed and checked: a client certificate with its key, CA certificates
 * to trust, or both. Built once per distinct content ({@link #id}), so the sender keeps one HTTP
 * client per material and a Secret edit (new content, new id) takes a new one.
 *
 * <p>Never printed: {@link #toString} names the id only, since the key is in here.
 */
public final class TlsMaterial {
  /** Bounds what a tenant's Secret or ConfigMap can make Herald parse and keep per client. */
  public static final int MAX_PEM_CHARS = 256 * 1024;

  private final String id;
  private final KeyCertOptions keyCert;
  private final X509Certificate clientCertificate;
  private final TrustOptions trust;

  private TlsMaterial(
      String id, KeyCertOptions keyCert, X509Certificate clientCertificate, TrustOptions trust) {
    this.id = id;
    this.keyCert = keyCert;
    this.clientCertificate = clientCertificate;
    this.trust = trust;
  }

  /** A PEM input that is not usable; the message says which part and why, never its content. */
  public static final class InvalidMaterialException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidMaterialException(String message) {
      super(message);
    }
  }

  /**
   * Parses and checks the material.
   *
   * @param certPem the client certificate chain (leaf first), or null for no client certificate
   * @param keyPem its private key (PKCS#8, PKCS#1 RSA or SEC1 EC PEM); null exactly when certPem is
   * @param caPem CA certificates to trust, or null for the sender's default trust
   * @param includeSystemCAs with a caPem: trust the JVM's CAs as well
   */
  public static TlsMaterial parse(
      Vertx vertx, String certPem, String keyPem, String caPem, boolean includeSystemCAs)
      throws InvalidMaterialException {
    if ((certPem == null) != (keyPem == null)) {
      throw new IllegalArgumentException("a client certificate needs its key and the other way");
    }
    KeyCertOptions keyCert = null;
    X509Certificate leaf = null;
    if (certPem != null) {
      bounded("tls.crt", certPem);
      bounded("tls.key", keyPem);
      List<X509Certificate> chain = certificates("tls.crt", certPem);
      leaf = chain.get(0);
      X509KeyManager manager = keyManager(vertx, certPem, keyPem);
      checkKeyMatches(manager, leaf);
      keyCert =
          new PemKeyCertOptions()
              .addCertValue(Buffer.buffer(certPem))
              .addKeyValue(Buffer.buffer(keyPem));
    }
    TrustOptions trust = null;
    if (caPem != null) {
      bounded("the CA bundle", caPem);
      trust = trust(certificates("the CA bundle", caPem), includeSystemCAs);
    }
    if (keyCert == null && trust == null) {
      return null;
    }
    String id =
        digest(
            String.valueOf(certPem)
                + '\0'
                + String.valueOf(keyPem)
                + '\0'
                + String.valueOf(caPem)
                + '\0'
                + includeSystemCAs);
    return new TlsMaterial(id, keyCert, leaf, trust);
  }

  /** The same for the same content: what the sender keys its clients by. */
  public String id() {
    return id;
  }

  /** The client certificate's key and chain, or null. */
  KeyCertOptions keyCertOptions() {
    return keyCert;
  }

  /** The CAs to trust, or null for the sender's default. */
  TrustOptions trustOptions() {
    return trust;
  }

  /**
   * Why the client certificate cannot be used at {@code now} (expired or not yet valid), or null.
   */
  public String validityProblem(Instant now) {
    if (clientCertificate == null) {
      return null;
    }
    Date at = Date.from(now);
    if (at.after(clientCertificate.getNotAfter())) {
      return "the client certificate expired at " + clientCertificate.getNotAfter().toInstant();
    }
    if (at.before(clientCertificate.getNotBefore())) {
      return "the client certificate is not valid before "
          + clientCertificate.getNotBefore().toInstant();
    }
    return null;
  }

  @Override
  public String toString() {
    return "TlsMaterial[" + id.substring(0, 12) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsMaterial other && other.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  private static void bounded(String what, String pem) throws InvalidMaterialException {
    if (pem.length() > MAX_PEM_CHARS) {
      throw new InvalidMaterialException(
          what + " is " + pem.length() + " characters long; at most " + MAX_PEM_CHARS);
    }
  }

  private static List<X509Certificate> certificates(String what, String pem)
      throws InvalidMaterialException {
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new InvalidMaterialException(what + " holds no PEM certificate");
    }
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Certificate c :
          factory.generateCertificates(
              new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
    } catch (CertificateException e) {
      throw new InvalidMaterialException(what + " is not valid PEM certificates");
    }
    if (out.isEmpty()) {
      throw new InvalidMaterialException(what + " holds no PEM certificate");
    }
    return out;
  }

  private static X509KeyManager keyManager(Vertx vertx, String certPem, String keyPem)
      throws InvalidMaterialException {
    KeyManagerFactory factory;
    try {
      factory =
          new PemKeyCertOptions()
              .addCertValue(Buffer.buffer(certPem))
              .addKeyValue(Buffer.buffer(keyPem))
              .getKeyManagerFactory(vertx);
    } catch (Exception e) {
      // the library's message could quote the input: only say which part failed
      throw new InvalidMaterialException(
          "tls.key is not a PEM private key Herald can read (PKCS#8, or PKCS#1 RSA / SEC1 EC)");
    }
    for (KeyManager m : factory.getKeyManagers()) {
      if (m instanceof X509KeyManager x509) {
        return x509;
      }
    }
    throw new InvalidMaterialException("tls.key gave no X.509 key manager");
  }

  /** A key that is not the certificate's would fail every handshake: say so before the first. */
  private static void checkKeyMatches(X509KeyManager manager, X509Certificate leaf)
      throws InvalidMaterialException {
    String[] aliases = manager.getClientAliases(leaf.getPublicKey().getAlgorithm(), null);
    PrivateKey key = null;
    if (aliases != null) {
      for (String alias : aliases) {
        key = manager.getPrivateKey(alias);
        if (key != null) {
          break;
        }
      }
    }
    if (key == null) {
      throw new InvalidMaterialException(
          "tls.key is not a "
              + leaf.getPublicKey().getAlgorithm()
              + " key as the certificate in tls.crt needs");
    }
    byte[] probe = "herald key check".getBytes(StandardCharsets.US_ASCII);
    try {
      String algorithm = signatureAlgorithm(key.getAlgorithm());
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // falls through: not the certificate's key
    }
    throw new InvalidMaterialException("tls.key is not the key of the certificate in tls.crt");
  }

  private static String signatureAlgorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> keyAlgorithm; // Ed25519, Ed448 name their own signature
    };
  }

  private static TrustOptions trust(List<X509Certificate> bundle, boolean includeSystemCAs)
      throws InvalidMaterialException {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate ca : bundle) {
        store.setCertificateEntry("bundle-" + i++, ca);
      }
      if (includeSystemCAs) {
        for (X509Certificate ca : ServerNameTrust.systemDefault().getAcceptedIssuers()) {
          store.setCertificateEntry("system-" + i++, ca);
        }
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return TrustOptions.wrap(factory);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new InvalidMaterialException("the CA bundle cannot be used: " + e.getClass().getName());
    }
  }

  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
  }
}
