package dev.herald.bench;

/** An issue's target beside a measured figure: PASS, FAIL, or n/a when it could not be measured. */
final class Target {
  private Target() {}

  static String atMost(double measured, double limit) {
    return Double.isNaN(measured) ? "n/a" : measured <= limit ? "PASS" : "FAIL";
  }

  static String atLeast(double measured, double limit) {
    return Double.isNaN(measured) ? "n/a" : measured >= limit ? "PASS" : "FAIL";
  }
}
