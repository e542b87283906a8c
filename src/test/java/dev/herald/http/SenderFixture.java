package dev.herald.http;

import static dev.herald.testing.TestReceiver.await;

import dev.herald.testing.OfflineVertx;
import dev.herald.testing.TestReceiver;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sender tests' shared setup: one Vert.x and one {@link WebhookSender} on it for the whole
 * class, the sender closed and then the Vert.x after the last test. Register it on a static field:
 *
 * <pre>{@code @RegisterExtension static final SenderFixture fixture = SenderFixture.local();}</pre>
 *
 * Both are started before the class's own {@code @BeforeAll} methods run, so those may use them.
 */
final class SenderFixture implements BeforeAllCallback, AfterAllCallback {
  private final Supplier<Vertx> newVertx;
  private final Supplier<SenderOptions> options;
  private Vertx vertx;
  private WebhookSender sender;

  private SenderFixture(Supplier<Vertx> newVertx, Supplier<SenderOptions> options) {
    this.newVertx = newVertx;
    this.options = options;
  }

  /** A plain Vert.x and a sender for {@link TestReceiver}s: plain http to 127.0.0.1 allowed. */
  static SenderFixture local() {
    return new SenderFixture(Vertx::vertx, TestReceiver::localOptions);
  }

  /**
   * A Vert.x that resolves no name (see {@link OfflineVertx#create}) and a sender with these
   * options, read when the class starts.
   */
  static SenderFixture offline(Supplier<SenderOptions> options) {
    return new SenderFixture(() -> OfflineVertx.create(""), options);
  }

  Vertx vertx() {
    return vertx;
  }

  WebhookSender sender() {
    return sender;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    vertx = newVertx.get();
    sender = new WebhookSender(vertx, options.get());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (sender != null) {
      sender.close();
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }
}
