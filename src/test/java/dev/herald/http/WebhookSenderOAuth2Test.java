package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.egress.EgressPolicy;
import dev.herald.signing.SecretGenerator;
import dev.herald.signing.SigningKey;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OAuth2 client credentials through the real sender, with a token endpoint on 127.0.0.1. */
class WebhookSenderOAuth2Test {
  @RegisterExtension static final SenderFixture fixture = SenderFixture.local();

  final String secret = SecretGenerator.generate();
  final AtomicInteger issued = new AtomicInteger();
  TestReceiver tokens;
  TestReceiver receiver;

  @AfterEach
  void stop() {
    if (tokens != null) {
      tokens.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  /** What the token endpoint answers; set per test. */
  volatile java.util.function.Supplier<Response> tokenAnswer;

  /** Issues tok-1, tok-2, ...; the receiver accepts only the newest. */
  private void start(long expiresIn) {
    tokenAnswer =
        () ->
            Response.of(
                200,
                "{\"access_token\":\"tok-"
                    + issued.incrementAndGet()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                    + expiresIn
                    + "}");
    // on the test's own Vert.x: two servers on port 0 of one instance would share a port
    tokens =
        TestReceiver.start(
            fixture.vertx(),
            request -> {
              Response answer = tokenAnswer.get();
              request.response().setStatusCode(answer.status()).end(answer.body());
            });
    receiver =
        new TestReceiver()
            .respondWith(
                r ->
                    ("Bearer tok-" + issued.get()).equals(r.header("Authorization"))
                        ? Response.of(204)
                        : Response.of(401, "{\"error\":\"invalid_token\"}"));
  }

  /** The sender (and its token cache) outlives a test: each test's keys are its own. */
  final String run = java.util.UUID.randomUUID().toString();

  private OAuth2Grant grant(String key) {
    return new OAuth2Grant(
        tokens.url("/oauth/token"),
        "herald client",
        "s3cr3t&value",
        List.of("webhooks:write", "audit"),
        "https://api.example.com",
        false,
        run + key);
  }

  private WebhookRequest request(OAuth2Grant grant) {
    return new WebhookRequest(
        receiver.url(),
        "msg_1",
        "order.created",
        "{}".getBytes(StandardCharsets.UTF_8),
        Map.of("X-Team", "billing"),
        List.of(SigningKey.parse(secret)),
        Duration.ofSeconds(5),
        Instant.now(),
        grant);
  }

  private static AttemptResult send(WebhookRequest request) throws Exception {
    return fixture.sender().send(request).toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void getsATokenWithClientCredentialsAndSendsItAsBearer() throws Exception {
    start(3600);
    AttemptResult result = send(request(grant("a")));

    assertThat(result.succeeded()).as(result.message()).isTrue();
    TestReceiver.Received token = tokens.received().get(0);
    assertThat(token.path()).isEqualTo("/oauth/token");
    assertThat(token.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(token.bodyText())
        .isEqualTo(
            "grant_type=client_credentials&scope=webhooks%3Awrite+audit"
                + "&audience=https%3A%2F%2Fapi.example.com");
    // client_secret_basic: each part form-encoded, then Basic
    assertThat(token.header("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        "herald+client:s3cr3t%26value".getBytes(StandardCharsets.UTF_8)));
    assertThat(receiver.received().get(0).header("Authorization")).isEqualTo("Bearer tok-1");
    assertThat(receiver.received().get(0).header("X-Team")).isEqualTo("billing");
  }

  @Test
  void clientSecretPostPutsTheClientInTheForm() throws Exception {
    start(3600);
    var g = grant("post");
    var post =
        new OAuth2Grant(
            g.tokenUrl(), g.clientId(), g.clientSecret(), List.of(), null, true, "post");
    assertThat(send(request(post)).succeeded()).isTrue();
    TestReceiver.Received token = tokens.received().get(0);
    assertThat(token.header("Authorization")).isNull();
    assertThat(token.bodyText())
        .isEqualTo(
            "grant_type=client_credentials&client_id=herald+client&client_secret=s3cr3t%26value");
  }

  @Test
  void theTokenIsCachedPerKeyAndANewCredentialHashAsksAgain() throws Exception {
    start(3600);
    assertThat(send(request(grant("a"))).succeeded()).isTrue();
    assertThat(send(request(grant("a"))).succeeded()).isTrue();
    assertThat(tokens.received()).hasSize(1);
    assertThat(send(request(grant("b"))).succeeded()).isTrue();
    assertThat(tokens.received()).hasSize(2);
  }

  @Test
  void aCachedTokenAnswered401IsRefreshedOnceAndTheSamePostSentAgain() throws Exception {
    start(3600);
    assertThat(send(request(grant("a"))).succeeded()).isTrue();
    issued.incrementAndGet(); // the receiver now wants tok-3; the cache still holds tok-1
    AttemptResult result = send(request(grant("a")));

    assertThat(result.succeeded()).as(result.message()).isTrue();
    assertThat(result.message()).contains("new OAuth2 token");
    assertThat(tokens.received()).hasSize(2);
    var posts = receiver.received();
    assertThat(posts).hasSize(3);
    assertThat(posts.get(1).header("webhook-id")).isEqualTo(posts.get(2).header("webhook-id"));
    assertThat(posts.get(1).header("webhook-signature"))
        .isEqualTo(posts.get(2).header("webhook-signature"));
  }

  @Test
  void aFreshTokenAnswered401IsNotAskedForAgain() throws Exception {
    start(3600);
    receiver.respondWith(r -> Response.of(401, "no"));
    AttemptResult result = send(request(grant("a")));

    assertThat(result.errorClass()).isEqualTo(ErrorClass.Http4xx);
    assertThat(result.statusCode()).isEqualTo(401);
    assertThat(tokens.received()).hasSize(1);
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void aTokenIsGivenUpShortlyBeforeItExpires() throws Exception {
    start(1); // half of one second is the margin: already due half a second later
    assertThat(send(request(grant("a"))).succeeded()).isTrue();
    Thread.sleep(600);
    assertThat(send(request(grant("a"))).succeeded()).isTrue();
    assertThat(tokens.received()).hasSize(2);
  }

  @Test
  void aRefusedTokenRequestIsItsOwnClassWithTheRedactedAnswerAndNoPost() throws Exception {
    start(3600);
    tokenAnswer =
        () ->
            Response.of(
                400,
                "{\"error\":\"invalid_client\",\"error_description\":\"bad secret s3cr3t&value\","
                    + "\"access_token\":\"leaked-token\",\"hint\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig\"}");
    AttemptResult result = send(request(grant("a")));

    assertThat(result.errorClass()).isEqualTo(ErrorClass.TokenRequestFailed);
    assertThat(result.statusCode()).isNull();
    assertThat(result.url()).isEqualTo(receiver.url());
    assertThat(result.message()).contains("token request to " + tokens.url("/oauth/token"));
    assertThat(result.message()).contains("HTTP 400");
    assertThat(result.responseExcerpt())
        .contains("invalid_client")
        .doesNotContain("s3cr3t")
        .doesNotContain("leaked-token")
        .doesNotContain("eyJzdWIiOiJ4In0");
    assertThat(receiver.received()).isEmpty();
    // not cached: the next attempt asks again
    tokenAnswer = (() -> Response.of(200, "{\"access_token\":\"tok-" + issued.get() + "\"}"));
    assertThat(send(request(grant("a"))).succeeded()).isTrue();
  }

  @Test
  void anAnswerWithoutATokenOrOfAnotherTypeFails() throws Exception {
    start(3600);
    tokenAnswer = (() -> Response.of(200, "<html>login</html>"));
    assertThat(send(request(grant("a"))).message()).contains("without a JSON token response");
    tokenAnswer = (() -> Response.of(200, "{\"access_token\":\"x\",\"token_type\":\"mac\"}"));
    AttemptResult mac = send(request(grant("a")));
    assertThat(mac.errorClass()).isEqualTo(ErrorClass.TokenRequestFailed);
    assertThat(mac.message()).contains("is not Bearer");
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void theTokenUrlPassesTheEgressPolicy() throws Exception {
    start(3600);
    // the receiver's address is allowed, the token endpoint's (another loopback address) is not
    WebhookSender strict =
        new WebhookSender(
            fixture.vertx(),
            TestReceiver.localOptions()
                .withEgressPolicy(EgressPolicy.builder().allow("127.0.0.1/32").build()));
    try {
      var g = grant("egress");
      var blocked =
          new OAuth2Grant(
              g.tokenUrl().replace("127.0.0.1", "127.0.0.2"),
              g.clientId(),
              g.clientSecret(),
              List.of(),
              null,
              false,
              "egress");
      AttemptResult result =
          strict.send(request(blocked)).toCompletableFuture().get(15, TimeUnit.SECONDS);
      assertThat(result.errorClass()).isEqualTo(ErrorClass.TokenRequestFailed);
      assertThat(result.message()).contains("Blocked");
      assertThat(receiver.received()).isEmpty();
    } finally {
      strict.close();
    }
  }

  @Test
  void plainHttpTokenUrlIsRefusedLikeAnyReceiver() throws Exception {
    start(3600);
    WebhookSender httpsOnly =
        new WebhookSender(fixture.vertx(), TestReceiver.localOptions().withAllowPlainHttp(false));
    try {
      AttemptResult result =
          httpsOnly.send(request(grant("plain"))).toCompletableFuture().get(15, TimeUnit.SECONDS);
      assertThat(result.errorClass()).isEqualTo(ErrorClass.TokenRequestFailed);
      assertThat(result.message()).contains("plain http is not allowed");
    } finally {
      httpsOnly.close();
    }
  }

  @Test
  void theRequestsTextNamesNoCredential() {
    start(3600);
    WebhookRequest r =
        new WebhookRequest(
            receiver.url(),
            "msg_1",
            "t",
            new byte[0],
            Map.of("Authorization", "Bearer very-secret"),
            List.of(SigningKey.parse(secret)),
            Duration.ofSeconds(1),
            Instant.now(),
            grant("a"));
    assertThat(r.toString()).doesNotContain("very-secret").doesNotContain("s3cr3t");
  }
}
