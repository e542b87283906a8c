package dev.herald.endpoint;

/** The endpoint's spec cannot be acted on; the message says what to fix. */
public class InvalidEndpointException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidEndpointException(String message) {
    super(message);
  }
}
