package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.helm.RenderedChart;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchOptionsTest {
  private static BenchOptions parse(String... args) {
    BenchOptions options = new BenchOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void theOperatorRunsWithTheChartsJvmOptionsUnderItsMemoryLimitAndNoBaselineByDefault() {
    BenchOptions options = parse();
    assertThat(options.throughputBaseline()).isFalse();
    assertThat(options.measured().jvmOptions())
        .containsExactlyElementsOf(
            List.of(("-XX:MaxRAM=512m " + RenderedChart.defaultValue("javaOptions")).split(" ")));
  }

  @Test
  void baselineJvmOptionsAloneRunTheSameJarWithOtherOptions() {
    BenchOptions options =
        parse("--jvm-options", "-Xmx1g", "--baseline-jvm-options", "-Xmx2g -XX:+UseSerialGC");
    assertThat(options.throughputBaseline()).isTrue();
    assertThat(options.baseline())
        .isEqualTo(new BenchOptions.Variant(options.jar, List.of("-Xmx2g", "-XX:+UseSerialGC")));
    assertThat(options.measured())
        .isEqualTo(new BenchOptions.Variant(options.jar, List.of("-Xmx1g")));
  }

  @Test
  void aBaselineJarAloneKeepsTheMeasuredOperatorsJvmOptions() {
    BenchOptions options = parse("--jvm-options", "-Xmx1g", "--baseline-jar", "/tmp/main.jar");
    assertThat(options.throughputBaseline()).isTrue();
    assertThat(options.baseline())
        .isEqualTo(new BenchOptions.Variant(Path.of("/tmp/main.jar"), List.of("-Xmx1g")));
  }
}
