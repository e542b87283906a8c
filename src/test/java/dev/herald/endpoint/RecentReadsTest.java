package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentReadsTest {
  private final AtomicLong nanos = new AtomicLong();
  private final RecentReads<String> reads = new RecentReads<>(nanos::get);
  private final AtomicInteger calls = new AtomicInteger();

  private String read() {
    return "value-" + calls.incrementAndGet();
  }

  @Test
  void attemptsThatMissTogetherShareOneRead() throws Exception {
    int attempts = 16;
    CountDownLatch allAsked = new CountDownLatch(attempts);
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        answers.add(
            pool.submit(
                () -> {
                  allAsked.countDown();
                  return reads.get(
                      "ns/secret",
                      InterruptedException.class,
                      () -> {
                        // the API server answers only after every attempt has asked
                        allAsked.await(5, TimeUnit.SECONDS);
                        Thread.sleep(50);
                        return read();
                      });
                }));
      }
      for (Future<String> answer : answers) {
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("value-1");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void aValueIsReadAgainOnceTheTtlHasPassed() throws IOException {
    assertThat(reads.get("k", IOException.class, this::read)).isEqualTo("value-1");
    nanos.addAndGet(RecentReads.TTL.toNanos() - 1);
    assertThat(reads.get("k", IOException.class, this::read)).isEqualTo("value-1");
    nanos.addAndGet(1);
    assertThat(reads.get("k", IOException.class, this::read)).isEqualTo("value-2");
  }

  @Test
  void keysAreReadApart() throws IOException {
    assertThat(reads.get("a", IOException.class, this::read)).isEqualTo("value-1");
    assertThat(reads.get("b", IOException.class, this::read)).isEqualTo("value-2");
  }

  @Test
  void aFailedReadKeepsNothingAndReachesTheCallerAsItself() throws IOException {
    IOException refused = new IOException("refused");
    assertThatThrownBy(
            () ->
                reads.get(
                    "k",
                    IOException.class,
                    () -> {
                      throw refused;
                    }))
        .isSameAs(refused);
    assertThat(reads.get("k", IOException.class, this::read)).isEqualTo("value-1");
  }

  @Test
  void aReadOfNothingKeepsNothing() throws IOException {
    assertThat(reads.get("k", IOException.class, () -> null)).isNull();
    assertThat(reads.get("k", IOException.class, this::read)).isEqualTo("value-1");
  }
}
