package dev.herald.api;

/** Names that make up Herald's contract with users: group, labels, annotations, finalizer. */
public final class Herald {
  public static final String GROUP = "herald.dev";
  public static final String VERSION = "v1alpha1";

  /** Kept on every delivery so {@code kubectl get whd -l herald.dev/endpoint=NAME} filters. */
  public static final String LABEL_ENDPOINT = GROUP + "/endpoint";

  /** Kept on every delivery so {@code kubectl get whd -l herald.dev/phase=Exhausted} filters. */
  public static final String LABEL_PHASE = GROUP + "/phase";

  /**
   * Values of {@link #LABEL_PHASE} for the finished phases (compile-time constants, for selectors).
   */
  public static final String PHASE_SUCCEEDED = "Succeeded";

  public static final String PHASE_EXHAUSTED = "Exhausted";
  public static final String PHASE_CANCELLED = "Cancelled";
  private static final String FINISHED_PHASES =
      "(" + PHASE_SUCCEEDED + "," + PHASE_EXHAUSTED + "," + PHASE_CANCELLED + ")";

  /**
   * Deliveries still in flight. A delivery without the label (just created, or finished while its
   * label write was lost) matches too, so the controller always sees it at least once.
   */
  public static final String SELECT_UNFINISHED = LABEL_PHASE + " notin " + FINISHED_PHASES;

  /** Deliveries whose label says they finished: history, kept only in trimmed form. */
  public static final String SELECT_FINISHED = LABEL_PHASE + " in " + FINISHED_PHASES;

  /** On deliveries fanned out from a WebhookEvent: the event's name. */
  public static final String LABEL_EVENT = GROUP + "/event";

  /** On generated Secrets: which endpoint incarnation (uid) owns them. */
  public static final String LABEL_ENDPOINT_UID = GROUP + "/endpoint-uid";

  /** On a digest's generated signing Secret: the uid of the WebhookDigest it was made for. */
  public static final String LABEL_DIGEST_UID = GROUP + "/digest-uid";

  /**
   * On a Secret that Herald may read on a user's behalf ({@code signing.secretRef}, a digest's
   * {@code smtpSecretRef}): set by whoever can write the Secret, so naming a Secret one cannot read
   * does not let Herald read it for one.
   */
  public static final String LABEL_USABLE = GROUP + "/usable";

  public static final String USABLE = "true";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "herald";

  /** A new value on an endpoint asks for a freshly generated signing Secret. */
  public static final String ANNOTATION_ROTATE_SECRET = GROUP + "/rotate-secret";

  /** A new value on an endpoint that Herald paused (spec.failurePolicy) resumes it. */
  public static final String ANNOTATION_RESUME = GROUP + "/resume";

  /** A new value on a delivery re-queues it with the same payload and webhook-id. */
  public static final String ANNOTATION_REPLAY = GROUP + "/replay";

  /**
   * On a delivery an event created after making its first attempt: that attempt's status follows
   * (see {@code FirstAttempts}); the value is the event's name.
   */
  public static final String ANNOTATION_FIRST_ATTEMPT = GROUP + "/first-attempt";

  public static final String FINALIZER = GROUP + "/finalizer";

  /** Key under which generated Secrets hold the {@code whsec_} signing secret. */
  public static final String SECRET_KEY = "secret";

  /**
   * Key under which a generated ed25519 Secret also holds the {@code whpk_} public key (for whoever
   * hands it to receivers; Herald itself derives it from the secret key).
   */
  public static final String PUBLIC_KEY = "public-key";

  private Herald() {}
}
