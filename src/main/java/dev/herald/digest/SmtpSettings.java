package dev.herald.digest;

import dev.herald.api.v1alpha1.DigestReason;
import dev.herald.api.v1alpha1.WebhookDigestSpec;
import dev.herald.kube.UserSecrets;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SMTP server a digest's e-mail goes through, from the Secret {@code spec.email.smtpSecretRef}
 * names: keys {@code host} and {@code port}, optional {@code starttls} ({@code required}, {@code
 * optional} (default) or {@code disabled}), {@code username} and {@code password}. Every value is
 * the Secret's: none is ever written to a message (status, Events, logs), and this object does not
 * print them either.
 */
final class SmtpSettings {
  private final String secretName;
  private final String host;
  private final int port;
  private final StartTLSOptions starttls;
  private final String username;
  private final String password;

  private SmtpSettings(
      String secretName,
      String host,
      int port,
      StartTLSOptions starttls,
      String username,
      String password) {
    this.secretName = secretName;
    this.host = host;
    this.port = port;
    this.starttls = starttls;
    this.username = username;
    this.password = password;
  }

  /**
   * Reads the Secret by the one rule for users' Secrets (marked for Herald, or answered as
   * missing); a failure names the Secret and its key names only.
   */
  static SmtpSettings read(KubernetesClient client, String namespace, WebhookDigestSpec.Email email)
      throws DigestException {
    String secretName =
        email.getSmtpSecretRef() == null ? null : email.getSmtpSecretRef().getName();
    if (secretName == null || secretName.isBlank()) {
      throw new DigestException(
          DigestReason.SmtpSecretMissing, "spec.email.smtpSecretRef.name is not set");
    }
    try {
      return parse(secretName, UserSecrets.read(client, namespace, secretName));
    } catch (UserSecrets.UnusableSecretException e) {
      throw new DigestException(
          e.unreadable() ? DigestReason.SmtpSecretUnreadable : DigestReason.SmtpSecretMissing,
          "SMTP " + e.getMessage());
    }
  }

  /** The settings from the Secret's decoded values. */
  static SmtpSettings parse(String secretName, Map<String, String> data) throws DigestException {
    String host = data.get("host") == null ? null : data.get("host").trim();
    String port = data.get("port") == null ? null : data.get("port").trim();
    if (host == null || host.isEmpty() || port == null) {
      throw invalid("SMTP Secret " + secretName + " needs keys host and port");
    }
    int portNumber;
    try {
      portNumber = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw invalid("SMTP Secret " + secretName + ": port is not a number");
    }
    StartTLSOptions starttls;
    try {
      starttls =
          StartTLSOptions.valueOf(
              data.getOrDefault("starttls", "optional").trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(
          "SMTP Secret " + secretName + ": starttls must be required, optional or disabled");
    }
    String username = data.get("username");
    if (username == null || username.isBlank()) {
      return new SmtpSettings(secretName, host, portNumber, starttls, null, null);
    }
    return new SmtpSettings(
        secretName, host, portNumber, starttls, username, data.getOrDefault("password", ""));
  }

  private static DigestException invalid(String message) {
    return new DigestException(DigestReason.SmtpSecretInvalid, message);
  }

  /** The host as the Secret names it: also the name STARTTLS certificates are checked against. */
  String host() {
    return host;
  }

  /**
   * The mail client's configuration: one connection per digest (no keep-alive between runs hours
   * apart), login only with a username.
   */
  MailConfig mailConfig(Duration connectTimeout) {
    MailConfig config =
        new MailConfig()
            .setHostname(host)
            .setPort(port)
            .setStarttls(starttls)
            .setKeepAlive(false)
            .setConnectTimeout((int) connectTimeout.toMillis());
    if (username == null) {
      return config.setLogin(LoginOption.DISABLED);
    }
    return config.setUsername(username).setPassword(password).setLogin(LoginOption.REQUIRED);
  }

  /** What the Secret held, to redact from a library's error text before it is shown. */
  List<String> secretValues() {
    return Arrays.asList(host, String.valueOf(port), username, password);
  }

  @Override
  public String toString() {
    return "SMTP settings from Secret " + secretName;
  }
}
