package dev.herald.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Which refused status writes no retry can cure. */
public final class StatusWrites {
  private StatusWrites() {}

  /**
   * True when the API server refused a write for what it holds, not for when it came: the object
   * would grow past etcd's request limit (a 500 "etcdserver: request is too large", or 413 when the
   * request itself is over the server's limit), or the schema refuses a field (422 with causes).
   * A failed JSON Patch "test" is a 422 too, but without causes: a conflict, worth a fresh try.
   */
  public static boolean neverSucceeds(KubernetesClientException e) {
    var status = e.getStatus();
    String message = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
    boolean hasCauses = status != null && status.getDetails() != null && status.getDetails().getCauses() != null
        && !status.getDetails().getCauses().isEmpty();
    return neverSucceeds(e.getCode(), message, hasCauses);
  }

  static boolean neverSucceeds(int code, String message, boolean hasCauses) {
    if (code == 413) {
      return true;
    }
    if (code == 500 && message != null && message.contains("request is too large")) {
      return true;
    }
    return code == 422 && hasCauses;
  }
}
