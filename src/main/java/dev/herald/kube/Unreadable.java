package dev.herald.kube;

import com.fasterxml.jackson.databind.DatabindException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An object of Herald's kinds whose spec or status could not be read ({@link
 * TolerantResourceDeserializer}). It keeps its metadata, so it can be named in a log line and an
 * Event, and carries the reason in an annotation whose key the API server refuses: no stored object
 * can carry it, it survives the copies JOSDK makes, and a write that carried it back would be
 * refused rather than stored.
 */
public final class Unreadable {
  /** Not a valid annotation key (parentheses): only this process sets it, never the API server. */
  static final String ANNOTATION = "herald.dev/(unreadable)";

  /** The Event reason and the log wording. */
  public static final String REASON = "Unreadable";

  private static final int MAX_DESCRIPTION = 300;

  private Unreadable() {}

  static void mark(HasMetadata resource, String reason) {
    Map<String, String> annotations =
        resource.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(resource.getMetadata().getAnnotations());
    annotations.put(ANNOTATION, reason);
    resource.getMetadata().setAnnotations(annotations);
  }

  /** Why the object could not be read; empty when it was read in full. */
  public static Optional<String> reason(HasMetadata resource) {
    var annotations =
        resource.getMetadata() == null ? null : resource.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(ANNOTATION));
  }

  /**
   * What went wrong, where, without the value: Jackson's message names the expected type and the
   * JSON path; the token it choked on stays out (it may be part of a payload), and so does any
   * source excerpt.
   */
  static String describe(Exception e) {
    String what;
    if (e instanceof DatabindException d) {
      String path =
          d instanceof com.fasterxml.jackson.databind.JsonMappingException m
              ? m.getPathReference()
              : "";
      String message = d.getOriginalMessage() == null ? "" : d.getOriginalMessage();
      int from = message.indexOf(" from ");
      what =
          (from > 0 ? message.substring(0, from) : message) + (path.isEmpty() ? "" : " at " + path);
    } else {
      what = e.getClass().getSimpleName();
    }
    what = what.replaceAll("[\\r\\n]+", " ");
    return what.length() > MAX_DESCRIPTION ? what.substring(0, MAX_DESCRIPTION) + "..." : what;
  }
}
