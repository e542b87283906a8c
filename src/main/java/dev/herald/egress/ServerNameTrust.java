package dev.herald.egress;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS certificate checks against the name a user wrote, for a client that can only be told the
 * address {@link Egress#route} checked (the Vert.x mail client takes a host string and would look a
 * name up again itself). Such a client connects to the address literal, so its TLS engine knows
 * only the address; this trust manager hands the JDK's own trust manager a view of the engine in
 * which the peer is the name, so chain validation, algorithm constraints and hostname verification
 * are all the JDK's, done for the name. Nothing is checked by hand here.
 *
 * <p>Only the engine-based server check is supported: the others would either skip the hostname
 * check or check a name this class knows nothing of, so they refuse.
 */
public final class ServerNameTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final String name;

  private ServerNameTrust(X509ExtendedTrustManager delegate, String name) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * Checks certificates with {@code trust} (the JDK's CAs: {@link #systemDefault}) for {@code
   * name}.
   */
  public static ServerNameTrust forName(X509ExtendedTrustManager trust, String name) {
    return new ServerNameTrust(trust, name);
  }

  /** The JDK's default trust manager: its CA certificates and settings. */
  public static X509ExtendedTrustManager systemDefault() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no default TLS trust manager", e);
    }
    throw new IllegalStateException("no default X.509 TLS trust manager");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (engine == null || !(engine.getHandshakeSession() instanceof ExtendedSSLSession)) {
      throw new CertificateException("no TLS handshake session to check the certificate in");
    }
    SSLParameters parameters = engine.getSSLParameters();
    if (parameters.getEndpointIdentificationAlgorithm() == null
        || parameters.getEndpointIdentificationAlgorithm().isEmpty()) {
      // The client turned hostname verification off: the name is checked all the same.
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    delegate.checkServerTrusted(chain, authType, new NamedEngine(engine, name, parameters));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("only TLS engines are supported");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException(
        "a certificate check without a TLS engine could not verify the host name");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("client certificates are not accepted");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("client certificates are not accepted");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("client certificates are not accepted");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  /** SNI for the name, unless it is an address (SNI never carries one). */
  private static List<SNIServerName> serverNames(String name) {
    if (IpLiteral.parse(name) != null) {
      return List.of();
    }
    try {
      return List.of(new SNIHostName(name));
    } catch (IllegalArgumentException e) {
      return List.of(); // not a valid SNI name: the peer host alone is checked
    }
  }

  /**
   * The engine as the JDK's trust manager reads it during a handshake: its handshake session (with
   * the name as peer host and SNI name) and its parameters. Nothing else is ever called on it; the
   * rest delegates only to satisfy the abstract class.
   */
  private static final class NamedEngine extends SSLEngine {
    private final SSLEngine engine;
    private final SSLParameters parameters;
    private final NamedSession session;

    NamedEngine(SSLEngine engine, String name, SSLParameters parameters) {
      super(name, engine.getPeerPort());
      this.engine = engine;
      this.parameters = parameters;
      this.session = new NamedSession((ExtendedSSLSession) engine.getHandshakeSession(), name);
    }

    @Override
    public SSLSession getHandshakeSession() {
      return session;
    }

    @Override
    public SSLParameters getSSLParameters() {
      return parameters;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
        throws SSLException {
      throw new SSLException("a view for certificate checks only");
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
        throws SSLException {
      throw new SSLException("a view for certificate checks only");
    }

    @Override
    public Runnable getDelegatedTask() {
      return null;
    }

    @Override
    public void closeInbound() {}

    @Override
    public boolean isInboundDone() {
      return engine.isInboundDone();
    }

    @Override
    public void closeOutbound() {}

    @Override
    public boolean isOutboundDone() {
      return engine.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return engine.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
      return engine.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String[] getSupportedProtocols() {
      return engine.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
      return engine.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SSLSession getSession() {
      return engine.getSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
      throw new SSLException("a view for certificate checks only");
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
      return engine.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean getUseClientMode() {
      return engine.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean getNeedClientAuth() {
      return engine.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean getWantClientAuth() {
      return engine.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean getEnableSessionCreation() {
      return engine.getEnableSessionCreation();
    }
  }

  /** The handshake session with the name as its peer host and requested server name. */
  private static final class NamedSession extends ExtendedSSLSession {
    private final ExtendedSSLSession session;
    private final String name;

    NamedSession(ExtendedSSLSession session, String name) {
      this.session = session;
      this.name = name;
    }

    @Override
    public String getPeerHost() {
      return name;
    }

    @Override
    public List<SNIServerName> getRequestedServerNames() {
      return serverNames(name);
    }

    @Override
    public String[] getLocalSupportedSignatureAlgorithms() {
      return session.getLocalSupportedSignatureAlgorithms();
    }

    @Override
    public String[] getPeerSupportedSignatureAlgorithms() {
      return session.getPeerSupportedSignatureAlgorithms();
    }

    @Override
    public List<byte[]> getStatusResponses() {
      return session.getStatusResponses();
    }

    @Override
    public byte[] getId() {
      return session.getId();
    }

    @Override
    public SSLSessionContext getSessionContext() {
      return session.getSessionContext();
    }

    @Override
    public long getCreationTime() {
      return session.getCreationTime();
    }

    @Override
    public long getLastAccessedTime() {
      return session.getLastAccessedTime();
    }

    @Override
    public void invalidate() {
      session.invalidate();
    }

    @Override
    public boolean isValid() {
      return session.isValid();
    }

    @Override
    public void putValue(String key, Object value) {
      session.putValue(key, value);
    }

    @Override
    public Object getValue(String key) {
      return session.getValue(key);
    }

    @Override
    public void removeValue(String key) {
      session.removeValue(key);
    }

    @Override
    public String[] getValueNames() {
      return session.getValueNames();
    }

    @Override
    public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
      return session.getPeerCertificates();
    }

    @Override
    public Certificate[] getLocalCertificates() {
      return session.getLocalCertificates();
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
      return session.getPeerPrincipal();
    }

    @Override
    public Principal getLocalPrincipal() {
      return session.getLocalPrincipal();
    }

    @Override
    public String getCipherSuite() {
      return session.getCipherSuite();
    }

    @Override
    public String getProtocol() {
      return session.getProtocol();
    }

    @Override
    public int getPeerPort() {
      return session.getPeerPort();
    }

    @Override
    public int getPacketBufferSize() {
      return session.getPacketBufferSize();
    }

    @Override
    public int getApplicationBufferSize() {
      return session.getApplicationBufferSize();
    }
  }
}
