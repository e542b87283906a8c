package dev.herald.api.v1alpha1;

/** Why an attempt did not succeed; written to status and the attempt log. */
public enum ErrorClass {
  ConnectionFailed,
  DnsFailure,
  TlsError,
  Timeout,
  /** Any 3xx: redirects are never followed. */
  Redirect,
  Http4xx,
  Http5xx,
  /** 410: the receiver asks us to stop; no further retry of the delivery. */
  Gone,
  /** The target was refused by the egress policy. */
  Blocked,
  /**
   * No OAuth2 access token could be had from the endpoint's token URL (refused, unreachable,
   * blocked, or an answer without a token); the POST was not sent. Retried by the schedule.
   */
  TokenRequestFailed,
  /**
   * The forward proxy failed the attempt (refused the connection, asked for credentials with 407,
   * answered 502): the receiver never saw the request.
   */
  ProxyError,
  /**
   * A failing answer (not 2xx) carrying {@code webhook-delivery: abort-message}: the receiver asks
   * not to retry this message (Svix's convention), so the delivery is Exhausted at once, as with
   * 410 but for one message instead of the whole endpoint.
   */
  Aborted;

  /** The receiver asked to stop: no retry follows, whatever the schedule has left. */
  public boolean stopsRetries() {
    return this == Gone || this == Aborted;
  }

  /** The class of an HTTP response status that is not 2xx. */
  public static ErrorClass ofStatus(int statusCode) {
    if (statusCode == 410) {
      return Gone;
    }
    if (statusCode >= 300 && statusCode < 400) {
      return Redirect;
    }
    if (statusCode >= 400 && statusCode < 500) {
      return Http4xx;
    }
    if (statusCode >= 500) {
      return Http5xx;
    }
    throw new IllegalArgumentException("not an error status: " + statusCode);
  }
}
