package dev.herald.http;

import dev.herald.egress.EgressPolicy;
import io.vertx.core.net.TrustOptions;
import java.util.Objects;

/**
 * How a {@link WebhookSender} talks to receivers.
 *
 * @param excerptBytes how much of the response body is kept for the attempt log
 * @param maxBodyBytes how much of the body is read at most; past it the connection is closed, so a
 *     receiver streaming without end cannot tie up memory or the connection
 * @param trustOptions CAs to trust; null means the JVM's default trust store
 * @param allowPlainHttp whether {@code http://} URLs may be used; false makes them {@code Blocked}
 * @param egressPolicy which addresses requests may connect to; a refused one is {@code Blocked}
 * @param proxy the forward proxy attempts go through unless they bypass it, or null for none
 */
public record SenderOptions(
    String userAgent,
    int excerptBytes,
    int maxBodyBytes,
    TrustOptions trustOptions,
    boolean allowPlainHttp,
    EgressPolicy egressPolicy,
    ProxySettings proxy) {

  public static final String DEFAULT_USER_AGENT = "Herald/0.1";
  public static final int DEFAULT_EXCERPT_BYTES = 500;
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  public SenderOptions {
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(egressPolicy, "egressPolicy");
    if (userAgent.isBlank()) {
      throw new IllegalArgumentException("userAgent must not be blank");
    }
    if (excerptBytes < 0 || maxBodyBytes < excerptBytes) {
      throw new IllegalArgumentException(
          "need 0 <= excerptBytes <= maxBodyBytes, got " + excerptBytes + " and " + maxBodyBytes);
    }
  }

  /**
   * Safe defaults for URLs users type: https only, and the built-in egress policy with no
   * exceptions (no loopback, private, link-local or metadata addresses).
   */
  public SenderOptions(
      String userAgent,
      int excerptBytes,
      int maxBodyBytes,
      TrustOptions trustOptions,
      boolean allowPlainHttp,
      EgressPolicy egressPolicy) {
    this(userAgent, excerptBytes, maxBodyBytes, trustOptions, allowPlainHttp, egressPolicy, null);
  }

  public SenderOptions withProxy(ProxySettings value) {
    return new SenderOptions(
        userAgent, excerptBytes, maxBodyBytes, trustOptions, allowPlainHttp, egressPolicy, value);
  }

  public static SenderOptions defaults() {
    return new SenderOptions(
        DEFAULT_USER_AGENT,
        DEFAULT_EXCERPT_BYTES,
        DEFAULT_MAX_BODY_BYTES,
        null,
        false,
        EgressPolicy.defaults());
  }

  public SenderOptions withTrustOptions(TrustOptions trust) {
    return new SenderOptions(
        userAgent, excerptBytes, maxBodyBytes, trust, allowPlainHttp, egressPolicy, proxy);
  }

  public SenderOptions withAllowPlainHttp(boolean allow) {
    return new SenderOptions(
        userAgent, excerptBytes, maxBodyBytes, trustOptions, allow, egressPolicy, proxy);
  }

  public SenderOptions withEgressPolicy(EgressPolicy policy) {
    return new SenderOptions(
        userAgent, excerptBytes, maxBodyBytes, trustOptions, allowPlainHttp, policy, proxy);
  }
}
