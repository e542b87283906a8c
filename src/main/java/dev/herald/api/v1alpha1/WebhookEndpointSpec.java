package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookEndpointSpec {
  public static final String DEFAULT_TIMEOUT = "15s";

  @Required
  @Pattern(Schemas.HTTP_URL)
  @JsonPropertyDescription("Target URL; http or https. Every attempt POSTs here, so an edit reaches unfinished deliveries.")
  private String url;

  @JsonPropertyDescription("Event types this endpoint receives; empty means every type. A trailing * matches any suffix.")
  private List<String> eventTypes;

  @JsonPropertyDescription("While true nothing is sent: deliveries wait as Pending and none are lost.")
  private Boolean paused;

  @Pattern(Schemas.DURATION)
  @JsonPropertyDescription("Time limit of one attempt, e.g. 15s (the default).")
  private String timeout;

  @JsonPropertyDescription("Static extra request headers. The signature and webhook-* headers cannot be overridden.")
  private Map<String, String> headers;

  @JsonPropertyDescription("When to retry a failed delivery.")
  private RetrySpec retry;

  @JsonPropertyDescription("How requests are signed (Standard Webhooks).")
  private SigningSpec signing;

  @JsonPropertyDescription("How long finished deliveries are kept.")
  private HistorySpec history;

  @JsonPropertyDescription("Optional: when Herald pauses this endpoint by itself after failures.")
  private FailurePolicySpec failurePolicy;

  @Pattern("^(fifo|none)$")
  @JsonPropertyDescription("fifo: one delivery at a time in creation order; later ones wait while an earlier one"
      + " is retrying. none (default): deliveries proceed independently.")
  private String ordering;

  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public List<String> getEventTypes() { return eventTypes; }
  public void setEventTypes(List<String> eventTypes) { this.eventTypes = eventTypes; }
  public Boolean getPaused() { return paused; }
  public void setPaused(Boolean paused) { this.paused = paused; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
  public Map<String, String> getHeaders() { return headers; }
  public void setHeaders(Map<String, String> headers) { this.headers = headers; }
  public RetrySpec getRetry() { return retry; }
  public void setRetry(RetrySpec retry) { this.retry = retry; }
  public SigningSpec getSigning() { return signing; }
  public void setSigning(SigningSpec signing) { this.signing = signing; }
  public HistorySpec getHistory() { return history; }
  public void setHistory(HistorySpec history) { this.history = history; }

  public FailurePolicySpec getFailurePolicy() { return failurePolicy; }
  public void setFailurePolicy(FailurePolicySpec failurePolicy) { this.failurePolicy = failurePolicy; }
  public String getOrdering() { return ordering; }
  public void setOrdering(String ordering) { this.ordering = ordering; }

  public boolean isPaused() { return Boolean.TRUE.equals(paused); }

  /** Not a property of its own: ordering is ("fifo" would otherwise appear in the schema). */
  @JsonIgnore
  public boolean isFifo() { return "fifo".equals(ordering); }
}
