package dev.herald.api.v1alpha1;

/**
 * A reason of a {@code Ready} condition, as written to status and to the Event that reports it.
 * Each kind has one enum of them (its constant names are the reasons users read and alert on, so
 * they never change); {@code docs/api.md} lists every one, checked by a test.
 */
public interface ConditionReason {
  /** The reason as written, the enum constant's name. */
  String name();

  /** Whether the Event reporting this reason is a Warning (otherwise Normal). */
  boolean warning();
}
