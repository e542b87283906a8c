package dev.herald.tracing;

import dev.herald.api.v1alpha1.Schemas;
import dev.herald.api.v1alpha1.TraceContext;
import dev.herald.http.TraceHeaders;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of a {@code spec.traceContext} that the CRD's patterns make at apply time, made again
 * on what the operator reads, plus what the patterns cannot say (all-zero ids, version ff, a key
 * twice, more than 32 members). A trace context is advisory: a bad one never holds a delivery back,
 * it is left out (tracestate alone when only it is bad) and the caller reports the problem. Nothing
 * unchecked is ever sent, so no CR, LF or other byte can reach a header from here.
 */
public final class TraceContexts {
  private static final Pattern TRACEPARENT = Pattern.compile(Schemas.TRACEPARENT);
  private static final Pattern MEMBER = Pattern.compile(Schemas.TRACESTATE_MEMBER);
  private static final String ZERO_TRACE_ID = "0".repeat(32);
  private static final String ZERO_PARENT_ID = "0".repeat(16);

  private TraceContexts() {}

  /**
   * What a spec's trace context comes to.
   *
   * @param headers what to send (null: nothing, no context or an unusable traceparent)
   * @param problem why (part of) the context is left out, naming the field but not quoting it; null
   *     when all of it is used
   */
  public record Read(TraceHeaders headers, String problem) {
    static final Read NONE = new Read(null, null);
  }

  /** Reads {@code context} found at {@code field} (e.g. {@code spec.traceContext}). */
  public static Read read(TraceContext context, String field) {
    if (context == null) {
      return Read.NONE;
    }
    String traceparent = traceparent(context.getTraceparent());
    if (traceparent == null) {
      return new Read(
          null,
          field
              + ".traceparent is not a W3C traceparent (00-<32 hex digits, not all zero>-<16 hex"
              + " digits, not all zero>-<2 hex digits>, lower case, 55 characters): the trace"
              + " context is not sent");
    }
    String raw = context.getTracestate();
    if (raw == null || raw.isBlank()) {
      return new Read(new TraceHeaders(traceparent, null), null);
    }
    String tracestate = tracestate(raw);
    if (tracestate == null) {
      return new Read(
          new TraceHeaders(traceparent, null),
          field
              + ".tracestate is not a W3C tracestate (at most "
              + Schemas.TRACESTATE_MAX_MEMBERS
              + " comma-separated key=value members with distinct keys, at most "
              + Schemas.TRACESTATE_MAX_LENGTH
              + " characters): only the traceparent is sent");
    }
    return new Read(new TraceHeaders(traceparent, tracestate.isEmpty() ? null : tracestate), null);
  }

  /**
   * The traceparent as Herald sends it, or null when it is not valid. A version above 00 is read as
   * 00 (the spec's rule for versions one does not know) and sent as 00, the only one Herald speaks.
   */
  static String traceparent(String value) {
    if (value == null
        || value.length() != Schemas.TRACEPARENT_LENGTH
        || !TRACEPARENT.matcher(value).matches()) {
      return null;
    }
    String version = value.substring(0, 2);
    String traceId = value.substring(3, 35);
    String parentId = value.substring(36, 52);
    if (version.equals("ff") || traceId.equals(ZERO_TRACE_ID) || parentId.equals(ZERO_PARENT_ID)) {
      return null;
    }
    return "00" + value.substring(2);
  }

  /**
   * The tracestate with empty members and optional white space left out, or null when it is not
   * valid (a bad member, a key twice, too many members, too long).
   */
  static String tracestate(String value) {
    if (value.length() > Schemas.TRACESTATE_MAX_LENGTH) {
      return null;
    }
    List<String> members = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (String part : value.split(",", -1)) {
      String member = withoutOws(part);
      if (member.isEmpty()) {
        continue; // the spec allows empty members
      }
      if (!MEMBER.matcher(member).matches()
          || !keys.add(member.substring(0, member.indexOf('=')))) {
        return null;
      }
      members.add(member);
    }
    return members.size() > Schemas.TRACESTATE_MAX_MEMBERS ? null : String.join(",", members);
  }

  /** Without the optional white space of the spec (spaces and tabs) on either side. */
  private static String withoutOws(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return s.substring(start, end);
  }
}
