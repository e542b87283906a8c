package dev.herald.digest;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One way a digest reaches a person, its settings already read (Secrets included), so that a broken
 * setup is reported at every run, not only on the first bad day. Sending never blocks the caller.
 */
interface DigestChannel {
  /**
   * The longest a send takes: connect, TLS, the exchange. The returned future completes by then.
   */
  Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  /** {@code e-mail} or {@code webhook}: what messages about this channel begin with. */
  String name();

  /**
   * Sends the report. The future never fails: it completes with nothing when the report went out,
   * or with why not, worded without any value read from a Secret.
   */
  Future<Optional<DigestException>> send(DigestReport report, Instant now);
}
