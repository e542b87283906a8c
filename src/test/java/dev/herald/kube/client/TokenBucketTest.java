package dev.herald.kube.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The bucket on a hand-moved clock: burst at once, then one request per 1/qps, waits queued in
 * order.
 */
class TokenBucketTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void theBurstGoesAtOnceThenRequestsQueueAtTheRate() {
    TokenBucket bucket = new TokenBucket(10, 3, nanos::get);

    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    // empty: each further caller waits behind the ones before it, 100 ms apart
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(100));
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(200));
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void tokensComeBackWithTimeButNoMoreThanTheBurst() {
    TokenBucket bucket = new TokenBucket(10, 2, nanos::get);
    bucket.reserve();
    bucket.reserve();

    advance(Duration.ofMillis(50));
    assertThat(bucket.reserve())
        .isEqualTo(Duration.ofMillis(50)); // half a token saved, half to wait

    advance(Duration.ofHours(1)); // a quiet spell refills to the burst, not beyond
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void nRequestsTakeAtLeastNMinusBurstOverQps() {
    TokenBucket bucket = new TokenBucket(4, 5, nanos::get);
    Duration last = Duration.ZERO;
    for (int i = 0; i < 25; i++) {
      last = bucket.reserve();
    }
    assertThat(last).isEqualTo(Duration.ofSeconds(5)); // (25 - 5) / 4
  }

  @Test
  void fractionalRates() {
    TokenBucket bucket = new TokenBucket(0.5, 1, nanos::get);
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, nanos::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(Double.NaN, 1, nanos::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(5, 0, nanos::get))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tryTakeTakesOnlySavedTokensAndNeverGoesIntoDebt() {
    TokenBucket bucket = new TokenBucket(10, 2, nanos::get);

    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isFalse();
    assertThat(bucket.tryTake()).isFalse();

    // refused takes promised nothing: a whole token is back after 1/qps, not after four of them
    advance(Duration.ofMillis(100));
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isFalse();
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(100));
  }
}
