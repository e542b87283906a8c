package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The class and a human-readable message of the last failure. Never holds key material. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ErrorInfo {
  @JsonProperty("class")
  @JsonPropertyDescription(
      "ConnectionFailed, DnsFailure, TlsError, Timeout, Redirect, Http4xx, Http5xx, Gone, Blocked,"
          + " TokenRequestFailed, ProxyError or Aborted.")
  private ErrorClass errorClass;

  private String message;

  @JsonPropertyDescription("What to do about it (docs/api.md lists the hint of each error class).")
  private String hint;

  public ErrorInfo() {}

  public ErrorInfo(ErrorClass errorClass, String message) {
    this(errorClass, message, null);
  }

  public ErrorInfo(ErrorClass errorClass, String message, String hint) {
    this.errorClass = errorClass;
    this.message = message;
    this.hint = hint;
  }

  public String getHint() {
    return hint;
  }

  public void setHint(String hint) {
    this.hint = hint;
  }

  @JsonProperty("class")
  public ErrorClass getErrorClass() {
    return errorClass;
  }

  @JsonProperty("class")
  public void setErrorClass(ErrorClass errorClass) {
    this.errorClass = errorClass;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
