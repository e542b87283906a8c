package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookDigestSpec {
  @Default("24h")
  @Pattern(Schemas.DURATION)
  @JsonPropertyDescription("How often to report, e.g. 24h or 1h30m (default 24h). Nothing is sent when all is healthy.")
  private String interval;

  @JsonPropertyDescription("Endpoint names to report on; empty or absent means every endpoint in the namespace.")
  private List<String> endpoints;

  @JsonPropertyDescription("Send the digest by e-mail.")
  private Email email;

  @JsonPropertyDescription("Send the digest as a JSON POST to a notification webhook.")
  private Webhook webhook;

  public String getInterval() { return interval; }
  public void setInterval(String interval) { this.interval = interval; }
  public List<String> getEndpoints() { return endpoints; }
  public void setEndpoints(List<String> endpoints) { this.endpoints = endpoints; }
  public Email getEmail() { return email; }
  public void setEmail(Email email) { this.email = email; }
  public Webhook getWebhook() { return webhook; }
  public void setWebhook(Webhook webhook) { this.webhook = webhook; }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Email {
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Recipients' addresses.")
    private List<String> to;

    @JsonPropertyDescription("Sender address (default herald@<smtp host>).")
    private String from;

    @Required
    @JsonPropertyDescription("Secret in this namespace, labelled herald.dev/usable=true, with keys host, port and optional"
        + " username, password, starttls (required | optional | disabled; default optional).")
    private SmtpSecretRef smtpSecretRef;

    public List<String> getTo() { return to; }
    public void setTo(List<String> to) { this.to = to; }
    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    public SmtpSecretRef getSmtpSecretRef() { return smtpSecretRef; }
    public void setSmtpSecretRef(SmtpSecretRef smtpSecretRef) { this.smtpSecretRef = smtpSecretRef; }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SmtpSecretRef {
    @Required
    @JsonPropertyDescription("Name of a Secret in the digest's namespace.")
    private String name;

    public SmtpSecretRef() {}

    public SmtpSecretRef(String name) {
      this.name = name;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Webhook {
    @Required
    @JsonPropertyDescription("URL to POST the digest to; it must pass the operator's egress policy.")
    private String url;

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
  }
}
