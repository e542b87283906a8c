package dev.herald.kube.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenlessRefreshTest {
  /** A client configuration that counts how often fabric8 re-reads it. */
  static final class CountingConfig extends Config {
    final AtomicInteger refreshes = new AtomicInteger();

    @Override
    public Config refresh() {
      refreshes.incrementAndGet();
      return new CountingConfig(); // a re-read that finds no token either
    }
  }

  /** The Authorization headers a request got. */
  static final class Headers implements BasicBuilder {
    final List<String> authorization = new ArrayList<>();

    @Override
    public BasicBuilder uri(URI uri) {
      return this;
    }

    @Override
    public BasicBuilder header(String name, String value) {
      if (name.equals(TokenRefreshInterceptor.AUTHORIZATION)) {
        authorization.add(value);
      }
      return this;
    }

    @Override
    public BasicBuilder setHeader(String name, String value) {
      return header(name, value);
    }
  }

  private final AtomicLong now = new AtomicLong();

  private TokenlessRefresh interceptor(Config config) {
    // fabric8's own clock says a refresh is due on every request (its last refresh long ago): the
    // state it is in after a minute without a token
    return new TokenlessRefresh(
        config, HttpClientUtils.getHttpClientFactory(), Instant.EPOCH, now::get);
  }

  private void at(Duration t, TokenRefreshInterceptor interceptor, Headers headers) {
    now.set(t.toNanos());
    interceptor.before(headers, null, null);
  }

  @Test
  void withoutATokenTheConfigurationIsReReadOnceAMinuteNotOnEveryRequest() {
    CountingConfig config = new CountingConfig();
    TokenlessRefresh refresh = interceptor(config);
    Headers headers = new Headers();

    at(Duration.ofSeconds(1), refresh, headers);
    at(Duration.ofSeconds(30), refresh, headers);
    assertThat(config.refreshes).hasValue(0);
    at(Duration.ofSeconds(61), refresh, headers);
    assertThat(config.refreshes).hasValue(1);
    at(Duration.ofSeconds(62), refresh, headers);
    at(Duration.ofSeconds(100), refresh, headers);
    assertThat(config.refreshes).hasValue(1);
    at(Duration.ofSeconds(122), refresh, headers);
    assertThat(config.refreshes).hasValue(2);
    assertThat(headers.authorization).isEmpty();
  }

  @Test
  void fabric8AloneReReadsTheConfigurationOnEveryRequestWithoutAToken() {
    // what TokenlessRefresh is for: if this starts failing, fabric8 fixed it and the class can go
    CountingConfig config = new CountingConfig();
    TokenRefreshInterceptor plain =
        new TokenRefreshInterceptor(config, HttpClientUtils.getHttpClientFactory(), Instant.EPOCH);
    Headers headers = new Headers();
    for (int i = 0; i < 3; i++) {
      plain.before(headers, null, null);
    }
    assertThat(config.refreshes).hasValue(3);
  }

  @Test
  void aTokenIsSentOnEveryRequest() {
    CountingConfig config = new CountingConfig();
    config.setOauthToken("t0ken");
    TokenlessRefresh refresh = interceptor(config);
    Headers headers = new Headers();

    at(Duration.ofSeconds(1), refresh, headers);
    at(Duration.ofSeconds(2), refresh, headers);

    assertThat(headers.authorization).containsExactly("Bearer t0ken", "Bearer t0ken");
  }

  @Test
  void whatCountsAsTokenless() {
    Config none = new CountingConfig();
    assertThat(TokenlessRefresh.tokenless(none)).isTrue();
    Config auto = new CountingConfig();
    auto.setAutoOAuthToken("from-a-service-account");
    assertThat(TokenlessRefresh.tokenless(auto)).isFalse();
    Config provider = new CountingConfig();
    provider.setOauthTokenProvider(() -> "t");
    assertThat(TokenlessRefresh.tokenless(provider)).isFalse();
  }
}
