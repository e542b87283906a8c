package dev.herald.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.v1alpha1.DigestReason;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SMTP server from the Secret's values; errors name keys, never values. */
class SmtpSettingsTest {
  @Test
  void hostPortStarttlsAndLoginComeFromTheSecret() throws Exception {
    SmtpSettings smtp =
        SmtpSettings.parse(
            "smtp",
            Map.of(
                "host", " mail.example.com ",
                "port", "587",
                "starttls", "Required",
                "username", "herald",
                "password", "pa55"));
    MailConfig config = smtp.mailConfig(Duration.ofSeconds(30));
    assertThat(config.getHostname()).isEqualTo("mail.example.com");
    assertThat(config.getPort()).isEqualTo(587);
    assertThat(config.getStarttls()).isEqualTo(StartTLSOptions.REQUIRED);
    assertThat(config.getLogin()).isEqualTo(LoginOption.REQUIRED);
    assertThat(config.getUsername()).isEqualTo("herald");
    assertThat(config.getPassword()).isEqualTo("pa55");
    assertThat(config.isKeepAlive()).isFalse();
    assertThat(config.getConnectTimeout()).isEqualTo(30_000);
    assertThat(smtp.secretValues()).contains("mail.example.com", "587", "herald", "pa55");
    assertThat(smtp.toString()).doesNotContain("mail.example.com", "587", "herald", "pa55");
  }

  @Test
  void withoutAUsernameThereIsNoLoginAndStarttlsIsOptional() throws Exception {
    MailConfig config =
        SmtpSettings.parse("smtp", Map.of("host", "mail.example.com", "port", "25"))
            .mailConfig(Duration.ofSeconds(30));
    assertThat(config.getLogin()).isEqualTo(LoginOption.DISABLED);
    assertThat(config.getStarttls()).isEqualTo(StartTLSOptions.OPTIONAL);
    assertThat(config.getUsername()).isNull();
  }

  @Test
  void aMissingOrBadValueIsInvalidAndNamesOnlyTheKey() {
    assertThatThrownBy(() -> SmtpSettings.parse("smtp", Map.of("host", "secret-host.example")))
        .isInstanceOf(DigestException.class)
        .hasMessage("SMTP Secret smtp needs keys host and port")
        .satisfies(
            e ->
                assertThat(((DigestException) e).reason())
                    .isEqualTo(DigestReason.SmtpSecretInvalid));
    assertThatThrownBy(
            () -> SmtpSettings.parse("smtp", Map.of("host", "secret-host.example", "port", "x25")))
        .hasMessage("SMTP Secret smtp: port is not a number");
    assertThatThrownBy(
            () ->
                SmtpSettings.parse(
                    "smtp", Map.of("host", "h.example", "port", "25", "starttls", "sometimes")))
        .hasMessage("SMTP Secret smtp: starttls must be required, optional or disabled");
  }
}
