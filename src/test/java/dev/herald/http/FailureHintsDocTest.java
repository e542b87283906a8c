package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.ErrorClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/api.md's table of hints says what {@link FailureHints} writes, for every error class. */
class FailureHintsDocTest {
  /** | `Class` | status codes | hint | */
  private static final Pattern ROW =
      Pattern.compile("^\\| `(\\w+)` \\| ([^|]+) \\| ([^|]+) \\|$", Pattern.MULTILINE);

  /** The first number of a status column ("401, 403", "3xx", "other 5xx", "none"). */
  private static final Pattern CODE = Pattern.compile("(\\d)(\\d\\d|xx)");

  @Test
  void theDocumentedHintsAreTheOnesWritten() throws IOException {
    String doc = Files.readString(Path.of("docs", "api.md"));
    String table = doc.substring(doc.indexOf("| error class | status code | hint |"));
    table = table.substring(0, table.indexOf("\n\n"));
    Set<ErrorClass> documented = EnumSet.noneOf(ErrorClass.class);
    Matcher row = ROW.matcher(table);
    while (row.find()) {
      ErrorClass errorClass = ErrorClass.valueOf(row.group(1));
      documented.add(errorClass);
      assertThat(row.group(3).strip())
          .as("docs/api.md, the hint of %s at %s", errorClass, row.group(2))
          .isEqualTo(FailureHints.of(errorClass, code(row.group(2))));
    }
    assertThat(documented)
        .as("every error class has a row")
        .isEqualTo(EnumSet.allOf(ErrorClass.class));
  }

  /** A code the row stands for: 3xx is 300, "other 4xx" one without a hint of its own. */
  private static Integer code(String column) {
    Matcher m = CODE.matcher(column);
    if (!m.find()) {
      return null;
    }
    if (m.group(2).equals("xx")) {
      return column.startsWith("other")
          ? Integer.parseInt(m.group(1)) * 100 + 99
          : Integer.parseInt(m.group(1)) * 100;
    }
    return Integer.parseInt(m.group(1) + m.group(2));
  }
}
