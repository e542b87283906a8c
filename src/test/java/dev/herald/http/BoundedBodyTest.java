package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

  @Test
  void keepsTheFirstBytesAcrossChunksAndCountsTheRest() {
    BoundedBody body = new BoundedBody(5, 100);

    assertThat(body.add(Buffer.buffer("abc"))).isTrue();
    assertThat(body.add(Buffer.buffer("defgh"))).isTrue();

    assertThat(body.excerpt()).isEqualTo("abcde");
    assertThat(body.seen()).isEqualTo(8);
  }

  @Test
  void asksToStopOnceTheLimitIsPassed() {
    BoundedBody body = new BoundedBody(2, 10);

    assertThat(body.add(Buffer.buffer("0123456789"))).isTrue();
    assertThat(body.add(Buffer.buffer("x"))).isFalse();
  }

  @Test
  void noBodyGivesNoExcerpt() {
    assertThat(new BoundedBody(500, 1000).excerpt()).isNull();
  }

  @Test
  void aCharacterCutByTheLimitOrInvalidUtf8BecomesAReplacementCharacter() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // 3 bytes
    BoundedBody cut = new BoundedBody(2, 100);
    cut.add(Buffer.buffer(euro));
    assertThat(cut.excerpt()).isEqualTo("\uFFFD");

    BoundedBody latin1 = new BoundedBody(100, 100);
    latin1.add(Buffer.buffer(new byte[] {'c', 'a', 'f', (byte) 0xE9}));
    assertThat(latin1.excerpt()).isEqualTo("caf\uFFFD");
  }
}
