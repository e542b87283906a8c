package dev.herald.http;

import io.vertx.core.MultiMap;

/**
 * One POST as the sender makes it, whatever it is for (a webhook, a token request): the sender adds
 * the connection (egress check, TLS, deadline, bounded body) and nothing else.
 *
 * @param headers every header to send, final
 * @param timeoutMs the whole exchange's budget, from the lookup to the last byte read
 * @param excerptBytes how much of the answer's body the result keeps
 * @param transport the endpoint's TLS and proxy choice
 */
record Exchange(
    String url,
    byte[] body,
    MultiMap headers,
    long timeoutMs,
    int excerptBytes,
    Transport transport) {

  /** Over the operator's default TLS and proxy. */
  Exchange(String url, byte[] body, MultiMap headers, long timeoutMs, int excerptBytes) {
    this(url, body, headers, timeoutMs, excerptBytes, Transport.DEFAULT);
  }
}
