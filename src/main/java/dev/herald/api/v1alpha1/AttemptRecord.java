package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One line of a delivery's attempt log. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttemptRecord {
  private Integer attempt;

  @JsonPropertyDescription("When the attempt started (RFC 3339).")
  private String time;

  @JsonPropertyDescription("The URL the attempt was sent to.")
  private String url;

  @JsonPropertyDescription(
      "HTTP status; absent when no response came (connection, DNS, TLS, timeout).")
  private Integer statusCode;

  private Long durationMs;
  private ErrorClass errorClass;

  @JsonPropertyDescription(
      "What went wrong, when no response explains it (e.g. connection refused).")
  private String message;

  @JsonPropertyDescription("The first 500 bytes of the response body.")
  private String responseExcerpt;

  @JsonPropertyDescription(
      "What to do about this failure (docs/api.md lists the hint of each error class); on the"
          + " newest record only.")
  private String hint;

  @JsonPropertyDescription("The TLS version negotiated with the receiver, e.g. TLSv1.3.")
  private String tlsVersion;

  @JsonPropertyDescription("The TLS cipher suite negotiated with the receiver.")
  private String tlsCipher;

  public String getHint() {
    return hint;
  }

  public void setHint(String hint) {
    this.hint = hint;
  }

  public String getTlsVersion() {
    return tlsVersion;
  }

  public void setTlsVersion(String tlsVersion) {
    this.tlsVersion = tlsVersion;
  }

  public String getTlsCipher() {
    return tlsCipher;
  }

  public void setTlsCipher(String tlsCipher) {
    this.tlsCipher = tlsCipher;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Integer getStatusCode() {
    return statusCode;
  }

  public void setStatusCode(Integer statusCode) {
    this.statusCode = statusCode;
  }

  public Long getDurationMs() {
    return durationMs;
  }

  public void setDurationMs(Long durationMs) {
    this.durationMs = durationMs;
  }

  public ErrorClass getErrorClass() {
    return errorClass;
  }

  public void setErrorClass(ErrorClass errorClass) {
    this.errorClass = errorClass;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getResponseExcerpt() {
    return responseExcerpt;
  }

  public void setResponseExcerpt(String responseExcerpt) {
    this.responseExcerpt = responseExcerpt;
  }
}
