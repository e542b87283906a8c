package dev.herald.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.v1alpha1.ErrorClass;
import dev.herald.kube.SecretValues;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * OAuth2 client-credentials tokens (RFC 6749 section 4.4), kept in memory per {@link
 * OAuth2Grant#cacheKey()} until shortly before they expire. Concurrent attempts of one endpoint
 * share one token request. A token request is an {@link Exchange} of the webhook sender, so it
 * passes the same egress policy, plain-http rule and TLS checks as a webhook, over the endpoint's
 * own transport: its {@code spec.tls} (an identity provider behind the same private CA, or one that
 * asks for the client certificate as RFC 8705 has it) and its {@code spec.bypassProxy}.
 */
final class OAuth2Tokens {
  /** Body kept of a token answer: enough for any token response, bounded all the same. */
  static final int TOKEN_BODY_BYTES = 16 * 1024;

  /** Used when the answer has no expires_in; a 401 ends it earlier. */
  static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

  /** A token is given up this long before it expires (or half its lifetime, if shorter). */
  static final Duration REFRESH_MARGIN = Duration.ofSeconds(30);

  /** Kept no longer than this, whatever expires_in says. */
  static final Duration MAX_LIFETIME = Duration.ofHours(24);

  private static final int MAX_CACHED = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN_FIELD =
      Pattern.compile(
          "(\"(?:access_token|refresh_token|id_token|token)\"\\s*:\\s*\")[^\"]*(\")",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}(\\.[A-Za-z0-9_-]*)?");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");

  /** A token and when it is to be replaced; {@code fetched}: got for the caller, not cached. */
  record Token(String value, Instant refreshAt, boolean fetched) {
    @Override
    public String toString() {
      return "Token[refreshAt=" + refreshAt + "]";
    }
  }

  /** Why no token could be had: what the attempt records. */
  static final class TokenRequestException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient AttemptResult result;

    TokenRequestException(AttemptResult result) {
      super(result.message(), null, false, false);
      this.result = result;
    }

    AttemptResult result() {
      return result;
    }
  }

  private record Cached(CompletableFuture<Token> token) {}

  private final Function<Exchange, CompletableFuture<AttemptResult>> exchange;
  private final Clock clock;
  private final int excerptBytes;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  OAuth2Tokens(
      Function<Exchange, CompletableFuture<AttemptResult>> exchange,
      Clock clock,
      int excerptBytes) {
    this.exchange = exchange;
    this.clock = clock;
    this.excerptBytes = excerptBytes;
  }

  /**
   * A token for {@code grant}: the cached one while it is not due for refresh, else one asked for
   * now (shared by every caller that asks meanwhile). Fails with a {@link TokenRequestException}.
   */
  CompletableFuture<Token> token(OAuth2Grant grant, long timeoutMs, Transport transport) {
    Instant now = clock.instant();
    Cached cached = cache.get(grant.cacheKey());
    if (cached != null) {
      Token done = cached.token().getNow(null);
      if (done == null && !cached.token().isDone()) {
        return cached.token(); // being fetched for someone else
      }
      if (done != null && now.isBefore(done.refreshAt())) {
        return CompletableFuture.completedFuture(new Token(done.value(), done.refreshAt(), false));
      }
    }
    CompletableFuture<Token> fetch = new CompletableFuture<>();
    Cached mine = new Cached(fetch);
    Cached raced =
        cache.compute(
            grant.cacheKey(),
            (k, old) -> old == cached || old == null ? mine : old); // someone else refreshed
    if (raced != mine) {
      return raced.token();
    }
    if (cache.size() > MAX_CACHED) {
      cache.values().removeIf(c -> c != mine && expired(c, now));
    }
    exchange
        .apply(request(grant, timeoutMs, transport))
        .whenComplete(
            (result, error) -> {
              try {
                fetch.complete(parse(grant, result));
              } catch (TokenRequestException e) {
                cache.remove(grant.cacheKey(), mine); // the next attempt asks again
                fetch.completeExceptionally(e);
              }
            });
    return fetch;
  }

  /** The receiver refused {@code rejected}: the next {@link #token} asks for a new one. */
  void invalidate(OAuth2Grant grant, Token rejected) {
    cache.computeIfPresent(
        grant.cacheKey(),
        (k, c) -> {
          Token t = c.token().getNow(null);
          return t != null && t.value().equals(rejected.value()) ? null : c;
        });
  }

  private boolean expired(Cached c, Instant now) {
    Token t = c.token().getNow(null);
    return c.token().isDone() && (t == null || !now.isBefore(t.refreshAt()));
  }

  private Exchange request(OAuth2Grant grant, long timeoutMs, Transport transport) {
    List<String> form = new ArrayList<>();
    form.add("grant_type=client_credentials");
    if (!grant.scopes().isEmpty()) {
      form.add("scope=" + encode(String.join(" ", grant.scopes())));
    }
    if (grant.audience() != null) {
      form.add("audience=" + encode(grant.audience()));
    }
    MultiMap headers = HttpHeaders.headers();
    headers.set(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded");
    headers.set(HttpHeaders.ACCEPT, "application/json");
    if (grant.postClientAuth()) {
      form.add("client_id=" + encode(grant.clientId()));
      form.add("client_secret=" + encode(grant.clientSecret()));
    } else {
      // RFC 6749 section 2.3.1: each part form-encoded before the Basic encoding
      String pair = encode(grant.clientId()) + ":" + encode(grant.clientSecret());
      headers.set(
          HttpHeaders.AUTHORIZATION,
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    byte[] body = String.join("&", form).getBytes(StandardCharsets.UTF_8);
    return new Exchange(grant.tokenUrl(), body, headers, timeoutMs, TOKEN_BODY_BYTES, transport);
  }

  private Token parse(OAuth2Grant grant, AttemptResult result) throws TokenRequestException {
    if (result == null) {
      throw failed(grant, "no answer", null);
    }
    if (!result.succeeded()) {
      String why =
          result.statusCode() != null
              ? "HTTP " + result.statusCode()
              : result.errorClass() + ": " + result.message();
      throw failed(grant, why, result.responseExcerpt());
    }
    JsonNode answer;
    try {
      answer = result.responseExcerpt() == null ? null : JSON.readTree(result.responseExcerpt());
    } catch (IOException e) {
      answer = null;
    }
    if (answer == null || !answer.isObject()) {
      throw failed(
          grant,
          "HTTP " + result.statusCode() + " without a JSON token response",
          result.responseExcerpt());
    }
    JsonNode token = answer.get("access_token");
    if (token == null || !token.isTextual() || token.asText().isEmpty()) {
      throw failed(
          grant, "HTTP " + result.statusCode() + " without access_token", result.responseExcerpt());
    }
    JsonNode type = answer.get("token_type");
    if (type != null && !"bearer".equalsIgnoreCase(type.asText())) {
      throw failed(
          grant,
          "token_type " + HeaderRules.printable(type.asText()) + " is not Bearer",
          result.responseExcerpt());
    }
    if (HeaderRules.problem("Authorization", "Bearer " + token.asText()).isPresent()) {
      throw failed(
          grant,
          "the access_token holds characters a header cannot carry",
          result.responseExcerpt());
    }
    JsonNode expiresIn = answer.get("expires_in");
    Duration lifetime =
        expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0
            ? Duration.ofSeconds(Math.min(expiresIn.asLong(), MAX_LIFETIME.toSeconds()))
            : DEFAULT_LIFETIME;
    Duration margin =
        lifetime.dividedBy(2).compareTo(REFRESH_MARGIN) < 0
            ? lifetime.dividedBy(2)
            : REFRESH_MARGIN;
    return new Token(token.asText(), clock.instant().plus(lifetime).minus(margin), true);
  }

  private TokenRequestException failed(OAuth2Grant grant, String why, String excerpt) {
    return new TokenRequestException(
        new AttemptResult(
            grant.tokenUrl(),
            null,
            ErrorClass.TokenRequestFailed,
            ErrorClassifier.truncate("token request to " + grant.tokenUrl() + " failed: " + why),
            excerpt(grant, excerpt),
            0,
            null));
  }

  /**
   * The token endpoint's answer as the attempt may show it: the client secret and anything shaped
   * like a token replaced by {@code ***}, at most the attempt log's excerpt size.
   */
  String excerpt(OAuth2Grant grant, String body) {
    if (body == null) {
      return null;
    }
    String out = SecretValues.redact(body, List.of(grant.clientSecret()));
    out = TOKEN_FIELD.matcher(out).replaceAll("$1***$2");
    out = JWT.matcher(out).replaceAll("***");
    out = BEARER.matcher(out).replaceAll("$1***");
    return out.length() <= excerptBytes ? out : out.substring(0, excerptBytes);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
