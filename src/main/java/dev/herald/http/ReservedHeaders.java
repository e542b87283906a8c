package dev.herald.http;

import java.util.Locale;
import java.util.Set;

/**
 * Header names an endpoint's static {@code headers} may not set. The {@code webhook-*} family
 * carries the signature, so a configured value could forge or break it; the rest describe the body
 * or the connection, which the HTTP client must own or the request could be mis-framed.
 */
public final class ReservedHeaders {
  private static final Set<String> NAMES =
      Set.of(
          "host",
          "content-type",
          "content-length",
          "transfer-encoding",
          "connection",
          "user-agent",
          // Hop-by-hop or framing headers as well: "expect: 100-continue" would stall every
          // attempt, "upgrade" or "te" would ask the receiver to change protocol under us.
          "keep-alive",
          "te",
          "trailer",
          "upgrade",
          "expect",
          "proxy-connection");

  private ReservedHeaders() {}

  /** Case-insensitive, as HTTP header names are. */
  public static boolean isReserved(String headerName) {
    if (headerName == null) {
      return true;
    }
    String name = headerName.strip().toLowerCase(Locale.ROOT);
    return name.startsWith("webhook-") || NAMES.contains(name);
  }
}
