package dev.herald.api.v1alpha1;

/**
 * Regular expressions and limits shared by the Java types and the generated OpenAPI schema.
 *
 * <p>Kubernetes 1.20 has no CEL rules, so every floor and ceiling the API server enforces is
 * written here as an OpenAPI v3 pattern or length; the operator checks the same rules on what it
 * reads (objects stored before a CRD upgrade) and reports a violation as a condition.
 */
public final class Schemas {
  private static final String COMPONENT = "[0-9]+(\\.[0-9]+)?(ms|s|m|h)";
  private static final String REPEAT = "( x[1-9][0-9]{0,4})?";

  /**
   * A whole number of 1 or more before s, m or h, or 1000 or more before ms: at least one second.
   */
  private static final String ONE_SECOND_OR_MORE =
      "(0*[1-9][0-9]*(\\.[0-9]+)?(s|m|h)|0*[1-9][0-9]{3,}(\\.[0-9]+)?ms)";

  /**
   * At least one minute: a whole number of minutes or hours, 60 or more seconds, 60000 or more ms.
   */
  private static final String ONE_MINUTE_OR_MORE =
      "(0*[1-9][0-9]*(\\.[0-9]+)?(m|h)|0*([6-9][0-9]|[1-9][0-9]{2,})(\\.[0-9]+)?s"
          + "|0*([6-9][0-9]{4}|[1-9][0-9]{5,})(\\.[0-9]+)?ms)";

  /** A Go-style duration as Kubernetes users write them: 30s, 1h30m, 500ms. */
  public static final String DURATION = "^(" + COMPONENT + ")+$";

  /** A retry schedule entry: a duration, optionally repeated: "60s x10". */
  public static final String SCHEDULE_ENTRY = "^(" + COMPONENT + ")+" + REPEAT + "$";

  /**
   * A schedule entry the API server admits: one component alone is at least a second, so no
   * admitted delay is shorter ("0s x99999" or "500ms" are refused; the operator checks the sum).
   */
  public static final String SCHEDULE_ENTRY_AT_LEAST_1S =
      "^(" + COMPONENT + ")*" + ONE_SECOND_OR_MORE + "(" + COMPONENT + ")*" + REPEAT + "$";

  /** The largest retry jitter: beyond half, a delay could shrink to nothing or double. */
  public static final int MAX_JITTER_PERCENT = 50;

  /** A retry jitter: a whole percentage 0% to 50%, no leading zero ("20%"). */
  public static final String JITTER_PERCENT = "^([0-9]|[1-4][0-9]|50)%$";

  /** A duration the API server admits only when one component alone is at least a second. */
  public static final String DURATION_AT_LEAST_1S =
      "^(" + COMPONENT + ")*" + ONE_SECOND_OR_MORE + "(" + COMPONENT + ")*$";

  /** A digest interval the API server admits: one component alone is at least a minute. */
  public static final String DURATION_AT_LEAST_1M =
      "^(" + COMPONENT + ")*" + ONE_MINUTE_OR_MORE + "(" + COMPONENT + ")*$";

  /** A TCP port 1 to 65535, without leading zeros. */
  private static final String PORT =
      "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";

  /**
   * Only http(s) targets with a host (a name or a bracketed IPv6 literal), no credentials, a port 1
   * to 65535.
   */
  public static final String HTTP_URL =
      "^https?://([^\\s/?#@:\\[\\]]+|\\[[^\\s/?#@\\[\\]]+\\])(:"
          + PORT
          + ")?(/[^\\s]*)?([?#][^\\s]*)?$";

  public static final int URL_MAX_LENGTH = 2048;

  /**
   * Printable ASCII, no leading or trailing space: what goes into a request header as is
   * (webhook-event-type). CR and LF would split the header; other characters would be mangled.
   */
  public static final String HEADER_SAFE_TEXT = "^[!-~]([ -~]*[!-~])?$";

  /** Printable ASCII without spaces: identifiers sent as webhook-id. */
  public static final String HEADER_SAFE_ID = "^[!-~]+$";

  public static final int EVENT_TYPE_MAX_LENGTH = 253;

  /** An object name (RFC 1123 subdomain), as the API server requires of the object named. */
  public static final String OBJECT_NAME =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  public static final int OBJECT_NAME_MAX_LENGTH = 253;

  /** A key of a Secret's data. */
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  /** An HTTP header value: printable ASCII and tabs (RFC 9110 field-content without obs-text). */
  public static final String HEADER_VALUE = "^[\\t -~]*$";

  public static final int HEADER_VALUE_MAX_LENGTH = 4096;
  public static final int MAX_HEADERS = 32;

  /** Generous bounds for the other free strings and lists. */
  public static final int DURATION_MAX_LENGTH = 64;

  public static final int MAX_SCHEDULE_ENTRIES = 100;
  public static final int MAX_EVENT_TYPES = 100;
  public static final int MAX_DIGEST_ENDPOINTS = 1000;
  public static final int MAX_RECIPIENTS = 100;
  public static final int EMAIL_MAX_LENGTH = 254;

  /** One e-mail address or "Name <address>": no CR or LF, which would inject SMTP headers. */
  public static final String EMAIL = "^[^\\r\\n]+@[^\\r\\n]+$";

  /**
   * A W3C traceparent as version 00 writes it: version, 32-digit trace id, 16-digit parent id and
   * flags, lower-case hex. The schema cannot say "not all zeros" or "not version ff" without
   * lookahead (Go's regexp has none); the operator checks those ({@code TraceContexts}).
   */
  public static final String TRACEPARENT = "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$";

  public static final int TRACEPARENT_LENGTH = 55;

  /** A tracestate key: simple, or tenant@system (W3C trace context, section 3.3.1.3.1). */
  private static final String TRACESTATE_KEY =
      "([a-z][_0-9a-z*/-]{0,255}|[a-z0-9][_0-9a-z*/-]{0,240}@[a-z][_0-9a-z*/-]{0,13})";

  /** A tracestate value: printable ASCII without ',' and '=', not ending in a space. */
  private static final String TRACESTATE_VALUE = "[ -+\\--<>-~]{0,255}[!-+\\--<>-~]";

  public static final String TRACESTATE_MEMBER = TRACESTATE_KEY + "=" + TRACESTATE_VALUE;

  /**
   * A W3C tracestate: list members separated by commas with optional spaces or tabs (empty members
   * allowed, as the spec does); the count of members (at most 32) is the operator's check.
   */
  public static final String TRACESTATE =
      "^[ \\t]*(" + TRACESTATE_MEMBER + ")?([ \\t]*,[ \\t]*(" + TRACESTATE_MEMBER + ")?)*[ \\t]*$";

  /** What vendors propagate at least (W3C trace context, section 3.3.1.5). */
  public static final int TRACESTATE_MAX_LENGTH = 512;

  public static final int TRACESTATE_MAX_MEMBERS = 32;

  private Schemas() {}
}
