package dev.herald.http;

import dev.herald.api.v1alpha1.Schemas;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What may go into a request header as written: the rule the CRD's patterns state, checked again on
 * what the operator reads (objects stored before the patterns, or past them). Vert.x would refuse a
 * CR or LF at send time, and characters beyond ASCII would reach the receiver mangled.
 */
public final class HeaderRules {
  /** An HTTP token (RFC 9110 section 5.6.2). */
  private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private static final int NAME_MAX_LENGTH = 256;
  private static final Pattern VALUE = Pattern.compile(Schemas.HEADER_VALUE);
  private static final Pattern TEXT = Pattern.compile(Schemas.HEADER_SAFE_TEXT);
  private static final Pattern ID = Pattern.compile(Schemas.HEADER_SAFE_ID);

  private HeaderRules() {}

  /**
   * Why a static header cannot be sent, or empty when it can. The message names the header but
   * never quotes its value, which may be a token.
   */
  public static Optional<String> problem(String name, String value) {
    if (name == null
        || name.isEmpty()
        || name.length() > NAME_MAX_LENGTH
        || !NAME.matcher(name).matches()) {
      return Optional.of(
          "header name "
              + printable(name)
              + " is not an HTTP token (letters, digits and !#$%&'*+.^_`|~-,"
              + " at most "
              + NAME_MAX_LENGTH
              + " characters)");
    }
    if (ReservedHeaders.isReserved(name)) {
      return Optional.of("header " + name + " is set by Herald itself");
    }
    if (value == null) {
      return Optional.of("header " + name + " has no value");
    }
    if (value.length() > Schemas.HEADER_VALUE_MAX_LENGTH) {
      return Optional.of(
          "the value of header "
              + name
              + " is longer than "
              + Schemas.HEADER_VALUE_MAX_LENGTH
              + " characters");
    }
    if (!VALUE.matcher(value).matches()) {
      return Optional.of(
          "the value of header "
              + name
              + " holds a character other than printable ASCII or tab"
              + " (e.g. CR, LF or a non-ASCII letter)");
    }
    return Optional.empty();
  }

  /**
   * Printable ASCII without CR/LF or outer spaces, at most {@code maxLength}: sent in a header as
   * is (eventType).
   */
  public static boolean isHeaderSafeText(String text, int maxLength) {
    return text != null && text.length() <= maxLength && TEXT.matcher(text).matches();
  }

  /** Printable ASCII without spaces, at most {@code maxLength} (webhook-id). */
  public static boolean isHeaderSafeId(String text, int maxLength) {
    return text != null && text.length() <= maxLength && ID.matcher(text).matches();
  }

  /** A name as it may be shown: control and non-ASCII characters escaped, long ones cut. */
  static String printable(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return sb.append(s.length() > 64 ? "...\"" : "\"").toString();
  }
}
