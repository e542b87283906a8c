package dev.herald.api;

/** Names that make up Herald's contract with users: group, labels, annotations, finalizer. */
public final class Herald {
  public static final String GROUP = "herald.dev";
  public static final String VERSION = "v1alpha1";

  /** Kept on every delivery so {@code kubectl get whd -l herald.dev/endpoint=NAME} filters. */
  public static final String LABEL_ENDPOINT = GROUP + "/endpoint";
  /** Kept on every delivery so {@code kubectl get whd -l herald.dev/phase=Exhausted} filters. */
  public static final String LABEL_PHASE = GROUP + "/phase";
  /** On deliveries fanned out from a WebhookEvent: the event's name. */
  public static final String LABEL_EVENT = GROUP + "/event";
  /** On generated Secrets: which endpoint incarnation (uid) owns them. */
  public static final String LABEL_ENDPOINT_UID = GROUP + "/endpoint-uid";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "herald";

  /** A new value on an endpoint asks for a freshly generated signing Secret. */
  public static final String ANNOTATION_ROTATE_SECRET = GROUP + "/rotate-secret";
  /** A new value on an endpoint that Herald paused (spec.failurePolicy) resumes it. */
  public static final String ANNOTATION_RESUME = GROUP + "/resume";
  /** A new value on a delivery re-queues it with the same payload and webhook-id. */
  public static final String ANNOTATION_REPLAY = GROUP + "/replay";

  public static final String FINALIZER = GROUP + "/finalizer";

  /** Key under which generated Secrets hold the {@code whsec_} signing secret. */
  public static final String SECRET_KEY = "secret";

  private Herald() {}
}
