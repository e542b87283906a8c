package dev.herald.endpoint;

import java.util.List;

/** An endpoint's {@code spec.eventTypes} filter: exact names, or a prefix ending in {@code *}. */
public final class EventTypes {
  private EventTypes() {}

  /** Empty or absent patterns subscribe to every type. */
  public static boolean matches(List<String> patterns, String eventType) {
    if (patterns == null || patterns.isEmpty()) {
      return true;
    }
    for (String pattern : patterns) {
      if (pattern.endsWith("*")
          ? eventType.startsWith(pattern.substring(0, pattern.length() - 1))
          : pattern.equals(eventType)) {
        return true;
      }
    }
    return false;
  }
}
