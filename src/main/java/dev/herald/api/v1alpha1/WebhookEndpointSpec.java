package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookEndpointSpec {
  public static final String DEFAULT_TIMEOUT = "15s";

  @Required
  @Pattern(Schemas.HTTP_URL)
  @Size(max = Schemas.URL_MAX_LENGTH)
  @JsonPropertyDescription(
      "Target URL; http or https, at most 2048 characters, port 1 to 65535. Every attempt POSTs here, so an edit reaches unfinished deliveries.")
  private String url;

  @Size(max = Schemas.MAX_EVENT_TYPES)
  @JsonPropertyDescription(
      "Event types this endpoint receives; empty means every type. A trailing * matches any suffix.")
  private List<
          @Size(min = 1, max = Schemas.EVENT_TYPE_MAX_LENGTH) @Pattern(Schemas.HEADER_SAFE_TEXT)
          String>
      eventTypes;

  @JsonPropertyDescription(
      "While true nothing is sent: deliveries wait as Pending and none are lost.")
  private Boolean paused;

  @Pattern(Schemas.DURATION)
  @Size(max = Schemas.DURATION_MAX_LENGTH)
  @JsonPropertyDescription("Time limit of one attempt, e.g. 15s (the default).")
  private String timeout;

  @Size(max = Schemas.MAX_HEADERS)
  @JsonPropertyDescription(
      "Static extra request headers (at most 32; names are HTTP tokens, values printable ASCII of at"
          + " most 4096 characters). The signature and webhook-* headers cannot be overridden.")
  private Map<
          String,
          @Size(max = Schemas.HEADER_VALUE_MAX_LENGTH) @Pattern(Schemas.HEADER_VALUE) String>
      headers;

  @JsonPropertyDescription("When to retry a failed delivery.")
  private RetrySpec retry;

  @JsonPropertyDescription("How requests are signed (Standard Webhooks).")
  private SigningSpec signing;

  @JsonPropertyDescription("How long finished deliveries are kept.")
  private HistorySpec history;

  @JsonPropertyDescription("Optional: when Herald pauses this endpoint by itself after failures.")
  private FailurePolicySpec failurePolicy;

  @Pattern("^(fifo|none)$")
  @JsonPropertyDescription(
      "fifo: one delivery at a time in creation order; later ones wait while an earlier one"
          + " is retrying. none (default): deliveries proceed independently.")
  private String ordering;

  @JsonPropertyDescription(
      "Optional: at most `requests` POSTs per `per` to this endpoint, with a `burst`. Deliveries"
          + " over the rate wait their turn (oldest due first) and are never dropped.")
  private RateLimitSpec rateLimit;

  // Credentials (spec.auth, spec.headersFrom): values only ever come from Secrets.
  @JsonPropertyDescription(
      "Credentials sent with each request, from Secrets labelled herald.dev/usable=true: one of"
          + " bearer, basic or oauth2.")
  private AuthSpec auth;

  @Size(max = Schemas.MAX_HEADERS)
  @JsonPropertyDescription(
      "Extra request headers whose values are read from Secrets (at most 32), beside spec.headers;"
          + " a name may not repeat one of spec.headers.")
  private List<HeaderFromSecret> headersFrom;

  // --- TLS and proxy (receivers with their own PKI, egress through a proxy) ---
  @JsonPropertyDescription(
      "TLS the receiver chooses: a client certificate (mTLS) and a private CA bundle to trust.")
  private TlsSpec tls;

  @JsonPropertyDescription(
      "True: connect directly even when the operator sends through a proxy (--proxy), e.g. for"
          + " in-cluster receivers.")
  private Boolean bypassProxy;

  public TlsSpec getTls() {
    return tls;
  }

  public void setTls(TlsSpec tls) {
    this.tls = tls;
  }

  public Boolean getBypassProxy() {
    return bypassProxy;
  }

  public void setBypassProxy(Boolean bypassProxy) {
    this.bypassProxy = bypassProxy;
  }

  // --- end TLS and proxy ---

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public List<String> getEventTypes() {
    return eventTypes;
  }

  public void setEventTypes(List<String> eventTypes) {
    this.eventTypes = eventTypes;
  }

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public Map<String, String> getHeaders() {
    return headers;
  }

  public void setHeaders(Map<String, String> headers) {
    this.headers = headers;
  }

  public RetrySpec getRetry() {
    return retry;
  }

  public void setRetry(RetrySpec retry) {
    this.retry = retry;
  }

  public SigningSpec getSigning() {
    return signing;
  }

  public void setSigning(SigningSpec signing) {
    this.signing = signing;
  }

  public HistorySpec getHistory() {
    return history;
  }

  public void setHistory(HistorySpec history) {
    this.history = history;
  }

  public FailurePolicySpec getFailurePolicy() {
    return failurePolicy;
  }

  public void setFailurePolicy(FailurePolicySpec failurePolicy) {
    this.failurePolicy = failurePolicy;
  }

  public String getOrdering() {
    return ordering;
  }

  public void setOrdering(String ordering) {
    this.ordering = ordering;
  }

  public RateLimitSpec getRateLimit() {
    return rateLimit;
  }

  public void setRateLimit(RateLimitSpec rateLimit) {
    this.rateLimit = rateLimit;
  }

  public AuthSpec getAuth() {
    return auth;
  }

  public void setAuth(AuthSpec auth) {
    this.auth = auth;
  }

  public List<HeaderFromSecret> getHeadersFrom() {
    return headersFrom;
  }

  public void setHeadersFrom(List<HeaderFromSecret> headersFrom) {
    this.headersFrom = headersFrom;
  }

  public boolean isPaused() {
    return Boolean.TRUE.equals(paused);
  }

  /** Not a property of its own: ordering is ("fifo" would otherwise appear in the schema). */
  @JsonIgnore
  public boolean isFifo() {
    return "fifo".equals(ordering);
  }
}
