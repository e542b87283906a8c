package dev.herald.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;

/** Which refused status writes no retry can cure. */
public final class StatusWrites {
  /**
   * etcd's default request limit (--max-request-bytes), which every write of an object must fit.
   */
  public static final int ETCD_REQUEST_LIMIT = 1_572_864;

  /**
   * Room kept for what the object gains in etcd beyond its metadata, spec and status: kind and
   * apiVersion, the status writer's managedFields entry, etcd's key and framing.
   */
  static final int OVERHEAD = 2_048;

  private StatusWrites() {}

  /**
   * Why an object of these parts would be larger than etcd's default request limit, or null when it
   * fits. Checked before a write, so that a hopeless one is not sent (the client would retry the
   * server's 500 for a minute); an etcd with a lower limit is still caught by {@link
   * #neverSucceeds}.
   */
  public static String overLimit(
      KubernetesSerialization serialization, Object metadata, Object spec, Object status) {
    long bytes = OVERHEAD;
    for (Object part : new Object[] {metadata, spec, status}) {
      bytes +=
          part == null ? 0 : serialization.asJson(part).getBytes(StandardCharsets.UTF_8).length;
    }
    return bytes <= ETCD_REQUEST_LIMIT
        ? null
        : "about "
            + bytes
            + " bytes with its status, over etcd's request limit of "
            + ETCD_REQUEST_LIMIT;
  }

  /**
   * True when the API server refused a write for what it holds, not for when it came: the object
   * would grow past etcd's request limit (a 500 "etcdserver: request is too large", or 413 when the
   * request itself is over the server's limit), or the schema refuses a field (422 with causes). A
   * failed JSON Patch "test" is a 422 too, but without causes: a conflict, worth a fresh try.
   */
  public static boolean neverSucceeds(KubernetesClientException e) {
    var status = e.getStatus();
    String message =
        status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
    boolean hasCauses =
        status != null
            && status.getDetails() != null
            && status.getDetails().getCauses() != null
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
