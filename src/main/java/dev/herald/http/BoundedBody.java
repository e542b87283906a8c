package dev.herald.http;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads a response body in constant memory: the first {@code excerptBytes} are kept for the attempt
 * log, the rest is only counted, so a huge or endless body costs no more than the excerpt.
 */
final class BoundedBody {
  private final byte[] excerpt;
  private final long maxBytes;
  private int kept;
  private long seen;

  BoundedBody(int excerptBytes, long maxBytes) {
    this.excerpt = new byte[excerptBytes];
    this.maxBytes = maxBytes;
  }

  /** Returns false once more than {@code maxBytes} arrived: the caller must stop reading. */
  boolean add(Buffer chunk) {
    int room = excerpt.length - kept;
    if (room > 0) {
      int take = Math.min(room, chunk.length());
      chunk.getBytes(0, take, excerpt, kept);
      kept += take;
    }
    seen += chunk.length();
    return seen <= maxBytes;
  }

  long seen() {
    return seen;
  }

  /**
   * Lenient UTF-8: a receiver's error page may be Latin-1 or cut mid-character by the limit, and
   * the excerpt must still be storable text, so bad sequences become U+FFFD instead of failing.
   */
  String excerpt() {
    return kept == 0 ? null : new String(excerpt, 0, kept, StandardCharsets.UTF_8);
  }
}
