package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.WebhookDelivery;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WrittenVersionsTest {
  private final AtomicLong nanos = new AtomicLong();
  private final WrittenVersions versions = new WrittenVersions(nanos::get);

  private static WebhookDelivery copy(String uid, String resourceVersion) {
    WebhookDelivery d = new WebhookDelivery();
    d.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("ns")
            .withName(uid)
            .withUid(uid)
            .withResourceVersion(resourceVersion)
            .build());
    return d;
  }

  @Test
  void aCopyOlderThanOurLastWriteDoesNotHoldItAndOneAsNewDoes() {
    versions.wrote(copy("a", "12"));
    versions.wrote(copy("a", "11")); // an answer that arrived late: the newer write stays
    assertThat(versions.holdsOurWrites(copy("a", "11"))).isFalse();
    assertThat(versions.holdsOurWrites(copy("a", "12"))).isTrue();
    assertThat(versions.size()).isZero(); // caught up: forgotten
    assertThat(versions.holdsOurWrites(copy("never-written", "3"))).isTrue();
  }

  @Test
  void theEntryOfAFinishedDeliveryThatIsNeverCheckedAgainGoesAfterTenMinutesHoweverFewAreHeld() {
    versions.wrote(copy("finished", "7"));
    nanos.addAndGet(WrittenVersions.KEEP.minusSeconds(1).toNanos());
    versions.wrote(copy("recent", "8"));
    assertThat(versions.size()).isEqualTo(2);

    nanos.addAndGet(java.time.Duration.ofSeconds(2).toNanos());
    assertThat(versions.size()).isEqualTo(1);
    assertThat(versions.holdsOurWrites(copy("finished", "6"))).isTrue(); // nothing left to protect
    assertThat(versions.holdsOurWrites(copy("recent", "7"))).isFalse();
  }
}
