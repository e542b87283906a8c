package dev.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's first command on a machine with no cluster: the embedded demo finishes every
 * delivery.
 */
class DemoCommandTest {

  @Test
  void demoDeliversEverythingInTheSandbox() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = new CommandLine(new Main()).execute("demo", "--timeout", "60");
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(out).isZero();
    assertThat(out).contains("Every delivery finished");
    String lastTable = out.substring(out.lastIndexOf("NAME "));
    assertThat(lastTable)
        .containsPattern("order-1001 +billing +order.created +Succeeded +200 +3/5");
    assertThat(lastTable)
        .containsPattern("legacy-sync +legacy +order.created +Exhausted +410 +1/6");
    assertThat(out).containsPattern("billing +phase=Active consecutiveFailures=0");
  }
}
