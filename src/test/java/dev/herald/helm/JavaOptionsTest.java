package dev.herald.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's {@code javaOptions} are the one home of the operator's JVM options: the image and
 * {@code hack/run.sh} run it with the same, so what the README measured is what every way of
 * running it gets (the bench's default adds only the chart's memory limit: BenchOptionsTest).
 */
class JavaOptionsTest {
  private static final String CHART = (String) RenderedChart.defaultValue("javaOptions");

  private static String match(Path file, String regex) throws IOException {
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(Files.readString(file));
    assertThat(m.find()).as("%s in %s", regex, file).isTrue();
    return m.group(1);
  }

  @Test
  void theImageRunsTheOperatorWithTheChartsJavaOptions() throws IOException {
    assertThat(match(Path.of("Dockerfile"), "^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"$"))
        .isEqualTo(CHART);
  }

  @Test
  void hackRunRunsTheOperatorWithTheChartsJavaOptions() throws IOException {
    assertThat(match(Path.of("hack", "run.sh"), "^exec java (.*) -jar target/herald\\.jar"))
        .isEqualTo(CHART);
  }
}
