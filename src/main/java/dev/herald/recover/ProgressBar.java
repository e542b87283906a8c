package dev.herald.recover;

/** The line {@code herald recover} redraws on a terminal: {@code [#####.....] 50/100 50%}. */
public final class ProgressBar {
  private ProgressBar() {}

  public static String render(int done, int total, int width) {
    int clampedDone = Math.max(0, Math.min(done, total));
    int filled = total == 0 ? width : (int) ((long) clampedDone * width / total);
    int percent = total == 0 ? 100 : (int) ((long) clampedDone * 100 / total);
    String digits = String.valueOf(total);
    return "["
        + "#".repeat(filled)
        + ".".repeat(width - filled)
        + "] "
        + String.format("%" + digits.length() + "d/%s %3d%%", clampedDone, digits, percent);
  }
}
