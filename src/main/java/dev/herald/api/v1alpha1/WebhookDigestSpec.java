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
  @Pattern(Schemas.DURATION_AT_LEAST_1M)
  @Size(max = Schemas.DURATION_MAX_LENGTH)
  @JsonPropertyDescription(
      "How often to report, e.g. 24h or 1h30m (default 24h; at least 1m). Nothing is sent when all is healthy.")
  private String interval;

  @Size(max = Schemas.MAX_DIGEST_ENDPOINTS)
  @JsonPropertyDescription(
      "Endpoint names to report on; empty or absent means every endpoint in the namespace.")
  private List<@Size(max = Schemas.OBJECT_NAME_MAX_LENGTH) @Pattern(Schemas.OBJECT_NAME) String>
      endpoints;

  @JsonPropertyDescription("Send the digest by e-mail.")
  private Email email;

  @JsonPropertyDescription("Send the digest as a JSON POST to a notification webhook.")
  private Webhook webhook;

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }

  public Email getEmail() {
    return email;
  }

  public void setEmail(Email email) {
    this.email = email;
  }

  public Webhook getWebhook() {
    return webhook;
  }

  public void setWebhook(Webhook webhook) {
    this.webhook = webhook;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Email {
    @Required
    @Size(min = 1, max = Schemas.MAX_RECIPIENTS)
    @JsonPropertyDescription("Recipients' addresses.")
    private List<@Size(max = Schemas.EMAIL_MAX_LENGTH) @Pattern(Schemas.EMAIL) String> to;

    @Size(max = Schemas.EMAIL_MAX_LENGTH)
    @Pattern(Schemas.EMAIL)
    @JsonPropertyDescription("Sender address (default herald@<smtp host>).")
    private String from;

    @Required
    @JsonPropertyDescription(
        "Secret in this namespace, labelled herald.dev/usable=true, with keys host, port and optional"
            + " username, password, starttls (required | optional | disabled; default optional).")
    private SmtpSecretRef smtpSecretRef;

    public List<String> getTo() {
      return to;
    }

    public void setTo(List<String> to) {
      this.to = to;
    }

    public String getFrom() {
      return from;
    }

    public void setFrom(String from) {
      this.from = from;
    }

    public SmtpSecretRef getSmtpSecretRef() {
      return smtpSecretRef;
    }

    public void setSmtpSecretRef(SmtpSecretRef smtpSecretRef) {
      this.smtpSecretRef = smtpSecretRef;
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SmtpSecretRef {
    @Required
    @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
    @Pattern(Schemas.OBJECT_NAME)
    @JsonPropertyDescription("Name of a Secret in the digest's namespace.")
    private String name;

    public SmtpSecretRef() {}

    public SmtpSecretRef(String name) {
      this.name = name;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Webhook {
    @Required
    @Pattern(Schemas.HTTP_URL)
    @Size(max = Schemas.URL_MAX_LENGTH)
    @JsonPropertyDescription(
        "URL to POST the digest to (http or https, at most 2048 characters); it must pass the operator's egress policy.")
    private String url;

    @JsonPropertyDescription(
        "Secret holding the whsec_ key the digest is signed with (key defaults to secret);"
            + " absent means the operator generates one, named in status.signingSecretName.")
    private SecretKeyRef secretRef;

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public SecretKeyRef getSecretRef() {
      return secretRef;
    }

    public void setSecretRef(SecretKeyRef secretRef) {
      this.secretRef = secretRef;
    }
  }
}
