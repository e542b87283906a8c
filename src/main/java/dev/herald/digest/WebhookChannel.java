package dev.herald.digest;

import dev.herald.api.v1alpha1.DigestReason;
import dev.herald.api.v1alpha1.WebhookDigest;
import dev.herald.http.AttemptResult;
import dev.herald.http.WebhookRequest;
import dev.herald.http.WebhookSender;
import dev.herald.signing.SigningKey;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The report as a JSON POST ({@code webhook-event-type: herald.digest}) through the webhook sender,
 * signed like a delivery, under the same egress policy.
 */
final class WebhookChannel implements DigestChannel {
  /**
   * The sender completes within the request's timeout; this only guards against it not doing so.
   */
  private final WebhookSender sender;

  private final KubernetesSerialization json;
  private final WebhookDigest digest;
  private final SigningKey key;

  WebhookChannel(
      WebhookSender sender, KubernetesSerialization json, WebhookDigest digest, SigningKey key) {
    this.sender = sender;
    this.json = json;
    this.digest = digest;
    this.key = key;
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public Future<Optional<DigestException>> send(DigestReport report, Instant now) {
    WebhookRequest request =
        new WebhookRequest(
            digest.getSpec().getWebhook().getUrl(),
            "digest_" + digest.getMetadata().getUid() + "_" + now.getEpochSecond(),
            "herald.digest",
            json.asJson(report.json()).getBytes(StandardCharsets.UTF_8),
            Map.of(),
            List.of(key),
            SEND_TIMEOUT,
            now);
    return Future.fromCompletionStage(sender.sendBounded(request))
        .map(WebhookChannel::failure)
        .otherwise(
            cause ->
                Optional.of(
                    new DigestException(
                        DigestReason.SendFailed,
                        cause instanceof TimeoutException
                            ? "timed out"
                            : String.valueOf(cause.getMessage()))));
  }

  private static Optional<DigestException> failure(AttemptResult result) {
    if (result.succeeded()) {
      return Optional.empty();
    }
    return Optional.of(
        new DigestException(
            DigestReason.SendFailed,
            result.errorClass() + (result.message() == null ? "" : ": " + result.message())));
  }
}
