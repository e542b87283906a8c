package dev.herald.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.herald.api.v1alpha1.SigningAlgorithm;
import dev.herald.testing.NodeVerifier;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  // The test vector of API.md (which is the Standard Webhooks specification's own).
  static final String VECTOR_SECRET = "whsec_b6Ovv5eS7H5seJrGSStBYDivs8v2/KrFjfMaVZYsi7w=";
  static final String VECTOR_ID = "7a2486b3-31cf-4bd3-a460-df8845d16cd5";
  static final long VECTOR_TIMESTAMP = 1737987215L;
  static final byte[] VECTOR_BODY =
      "{\"greetings\": \"Hello World\"}".getBytes(StandardCharsets.UTF_8);
  static final String VECTOR_SIGNATURE = "v1,iayM3VaiYCEDP/CxWUFWcxUCJk2YmBDQHtHTsaHzrwo=";

  @Test
  void matchesTheApiTestVector() {
    String header =
        WebhookSigner.sign(
            VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY, List.of(SigningKey.parse(VECTOR_SECRET)));

    assertThat(header).isEqualTo(VECTOR_SIGNATURE);
  }

  @Test
  void bareBase64SecretSignsLikeThePrefixedOne() {
    String bare = VECTOR_SECRET.substring("whsec_".length());

    assertThat(
            WebhookSigner.sign(
                VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY, List.of(SigningKey.parse(bare))))
        .isEqualTo(VECTOR_SIGNATURE);
  }

  @Test
  void twoKeysGiveTwoSpaceSeparatedEntriesThatEachVerify() throws Exception {
    String oldSecret = SecretGenerator.generate();
    String newSecret = SecretGenerator.generate();
    long now = Instant.now().getEpochSecond();
    byte[] body = "{\"order\":42}".getBytes(StandardCharsets.UTF_8);

    String header =
        WebhookSigner.sign(
            "msg_1", now, body, List.of(SigningKey.parse(oldSecret), SigningKey.parse(newSecret)));

    assertThat(header.split(" "))
        .containsExactly(
            WebhookSigner.sign("msg_1", now, body, List.of(SigningKey.parse(oldSecret))),
            WebhookSigner.sign("msg_1", now, body, List.of(SigningKey.parse(newSecret))));
    // A receiver that knows only one of the two secrets still accepts the request.
    new Webhook(oldSecret)
        .verify(new String(body, StandardCharsets.UTF_8), headers("msg_1", now, header));
    new Webhook(newSecret)
        .verify(new String(body, StandardCharsets.UTF_8), headers("msg_1", now, header));
  }

  @Test
  void referenceLibraryVerifiesOurSignatureAndRejectsATamperedBody() throws Exception {
    String secret = SecretGenerator.generate();
    long now = Instant.now().getEpochSecond();
    String body = "{\"type\":\"invoice.paid\",\"amount\":\"12.50 €\"}";
    String header =
        WebhookSigner.sign(
            "msg_2", now, body.getBytes(StandardCharsets.UTF_8), List.of(SigningKey.parse(secret)));

    new Webhook(secret).verify(body, headers("msg_2", now, header));

    assertThatThrownBy(
            () ->
                new Webhook(secret)
                    .verify(body.replace("12.50", "99.50"), headers("msg_2", now, header)))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(
            () ->
                new Webhook(SecretGenerator.generate()).verify(body, headers("msg_2", now, header)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void signingWithoutKeysIsRefused() {
    assertThatThrownBy(() -> WebhookSigner.sign("id", 1L, new byte[0], List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static HttpHeaders headers(String id, long timestamp, String signature) {
    return HttpHeaders.of(
        Map.of(
            "webhook-id", List.of(id),
            "webhook-timestamp", List.of(Long.toString(timestamp)),
            "webhook-signature", List.of(signature)),
        (name, value) -> true);
  }

  // --- ed25519 (v1a) ---
  /**
   * The API.md vector signed with RFC 8032 test 1's key, as Node's {@code crypto.sign} computes it
   * (ed25519 is deterministic, so this pins the exact bytes an independent implementation makes).
   */
  static final String VECTOR_V1A =
      "v1a,cLCQeetY76rYsrFSw3rQQSmVHpt+fKiJAFVuvg7GmrdqTakXTf6RaxvW2z1mZ2lLaje2Jy65sx0HlGc+midVBg==";

  @Test
  void ed25519KeySignsV1aAsNodeDoes() {
    for (String key : List.of(SigningKeyTest.RFC_SEED_KEY, SigningKeyTest.RFC_FULL_KEY)) {
      assertThat(
              WebhookSigner.sign(
                  VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY, List.of(SigningKey.parse(key))))
          .isEqualTo(VECTOR_V1A);
    }
  }

  @Test
  void aRotationAcrossAlgorithmsCarriesAV1AndAV1aEntry() throws Exception {
    String hmac = SecretGenerator.generate();
    long now = Instant.now().getEpochSecond();
    byte[] body = "{\"order\":43}".getBytes(StandardCharsets.UTF_8);

    String header =
        WebhookSigner.sign(
            "msg_3",
            now,
            body,
            List.of(SigningKey.parse(SigningKeyTest.RFC_FULL_KEY), SigningKey.parse(hmac)));

    String[] entries = header.split(" ");
    assertThat(entries).hasSize(2);
    assertThat(entries[0]).startsWith("v1a,");
    assertThat(entries[1]).startsWith("v1,");
    // the reference library ignores the v1a entry and verifies the v1 one
    new Webhook(hmac)
        .verify(new String(body, StandardCharsets.UTF_8), headers("msg_3", now, header));
  }

  /** Node's own crypto.verify (when Node is installed) accepts what Herald signs. */
  @Test
  void nodeVerifiesTheV1aSignatureWithThePublicKeyAndRejectsATamperedBody() {
    Assumptions.assumeTrue(NodeVerifier.available(), "node is not installed");
    String secret = SecretGenerator.generate(SigningAlgorithm.ED25519);
    SigningKey key = SigningKey.parse(secret);
    SigningKey other = SigningKey.parse(SecretGenerator.generate(SigningAlgorithm.ED25519));
    long now = Instant.now().getEpochSecond();
    byte[] body = "{\"amount\":\"12.50 \u20ac\"}".getBytes(StandardCharsets.UTF_8);
    String header = WebhookSigner.sign("msg_4", now, body, List.of(key));
    byte[] tampered = "{\"amount\":\"99.50 \u20ac\"}".getBytes(StandardCharsets.UTF_8);

    List<List<Boolean>> verified =
        NodeVerifier.verify(
            List.of(key.publicKey(), other.publicKey()),
            List.of(
                new NodeVerifier.Signed("msg_4", Long.toString(now), body, header),
                new NodeVerifier.Signed("msg_4", Long.toString(now), tampered, header)));

    assertThat(verified).containsExactly(List.of(true, false), List.of(false, false));
  }
}
