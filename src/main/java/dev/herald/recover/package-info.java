/**
 * {@code herald recover}: replays the deliveries of a time range through the replay annotation, the
 * one way a delivery is sent again, so the operator's state machine and its at-least-once rules
 * apply to a recovery exactly as to a single {@code kubectl annotate}.
 */
package dev.herald.recover;
