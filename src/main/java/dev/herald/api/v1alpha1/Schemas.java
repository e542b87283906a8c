package dev.herald.api.v1alpha1;

/** Regular expressions shared by the Java types and the generated OpenAPI schema. */
public final class Schemas {
  /** A Go-style duration as Kubernetes users write them: 30s, 1h30m, 500ms. */
  public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
  /** A retry schedule entry: a duration, optionally repeated: "60s x10". */
  public static final String SCHEDULE_ENTRY = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+( x[1-9][0-9]{0,4})?$";
  /** Only http(s) targets with a host. */
  public static final String HTTP_URL = "^https?://[^\\s/?#@]+(/[^\\s]*)?([?#][^\\s]*)?$";

  private Schemas() {}
}
