package dev.herald.operator;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Deliveries created, replayed and deleted quickly, round after round, while their reconciles
 * reschedule them: nothing may escape the operator's threads, and nothing may be logged as an error
 * or an uncaught exception.
 */
@EnableKubernetesMockClient(crud = true)
class ChurnTest extends OperatorTestBase {
  static final int ROUNDS = 4;
  static final int PER_ROUND = 20;

  private final List<String> uncaught = new CopyOnWriteArrayList<>();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private Thread.UncaughtExceptionHandler previous;

  @BeforeEach
  void capture() {
    previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(t.getName() + ": " + e));
    log.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(log);
  }

  @AfterEach
  void release() {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    Thread.setDefaultUncaughtExceptionHandler(previous);
  }

  @Test
  void createReplayDeleteRoundsLeaveNoUncaughtException() {
    receiver.always(Response.of(503));
    create(endpoint(ns, "billing", receiver.url("/hook"), "1s"));
    for (int round = 0; round < ROUNDS; round++) {
      int sentBefore = receiver.received().size();
      for (int i = 0; i < PER_ROUND; i++) {
        create(delivery(ns, "d-" + round + "-" + i, "billing", "{\"i\": " + i + "}"));
      }
      // every delivery attempted once: each now waits for a rescheduled retry
      await().atMost(WAIT).until(() -> receiver.received().size() >= sentBefore + PER_ROUND);
      for (int i = 0; i < PER_ROUND; i += 2) {
        annotateDelivery("d-" + round + "-" + i, Herald.ANNOTATION_REPLAY, "r" + round);
      }
      client.resources(WebhookDelivery.class).inNamespace(ns).delete();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  client
                      .resources(WebhookDelivery.class)
                      .inNamespace(ns)
                      .list()
                      .getItems()
                      .isEmpty());
    }
    herald.stop();

    assertThat(uncaught).as("exceptions that ended an operator thread").isEmpty();
    assertThat(
            log.list.stream()
                .filter(e -> !isMockServers(e))
                .filter(
                    e ->
                        e.getLevel().isGreaterOrEqual(Level.ERROR)
                            || e.getFormattedMessage().contains("Uncaught")
                            || e.getFormattedMessage().contains(ReconcileThreads.TIMER_RACE))
                .map(
                    e ->
                        e.getLevel()
                            + " "
                            + e.getLoggerName()
                            + ": "
                            + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null
                                ? ""
                                : " "
                                    + e.getThrowableProxy().getClassName()
                                    + ": "
                                    + e.getThrowableProxy().getMessage())))
        .as("errors and uncaught exceptions in the operator's log")
        .isEmpty();
  }

  /**
   * The mock server runs in this JVM and logs a failed JSON Patch test (a real server answers 422)
   * as unhandled.
   */
  private static boolean isMockServers(ILoggingEvent e) {
    return e.getLoggerName().startsWith("io.vertx")
        && e.getThrowableProxy() != null
        && e.getThrowableProxy().getClassName().startsWith("io.fabric8.zjsonpatch");
  }
}
