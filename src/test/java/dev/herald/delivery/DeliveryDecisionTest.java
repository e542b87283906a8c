package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.AutoPause;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.DeliveryReason;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookDeliveryStatus;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import dev.herald.delivery.DeliveryDecision.Expire;
import dev.herald.delivery.DeliveryDecision.Hold;
import dev.herald.delivery.DeliveryDecision.Rest;
import dev.herald.delivery.DeliveryDecision.Send;
import dev.herald.delivery.DeliveryDecision.WaitUntil;
import dev.herald.kube.Conditions;
import dev.herald.kube.Times;
import dev.herald.testing.Resources;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a delivery's state calls for, decided without Kubernetes, one case per hold reason. */
class DeliveryDecisionTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static WebhookEndpoint endpoint() {
    WebhookEndpoint e = Resources.endpoint("ns", "ep", "https://hooks.example.com/in", "1m", "5m");
    e.getMetadata().setUid("ep-uid");
    return e;
  }

  private static WebhookDelivery delivery() {
    WebhookDelivery d = Resources.delivery("ns", "d1", "ep", "{\"n\":1}");
    d.getMetadata().setUid("d1-uid");
    d.getMetadata().setGeneration(3L);
    d.getMetadata().setCreationTimestamp(Times.format(T0));
    return d;
  }

  private static DeliveryDecision decide(WebhookDelivery d, WebhookEndpoint e) {
    return DeliveryDecision.decide(d, e, Optional.empty(), T0);
  }

  private static Condition ready(DeliveryDecision decision) {
    return Conditions.find(decision.status().getConditions(), Conditions.READY).orElseThrow();
  }

  /** A Hold with that reason, written into the Ready condition as False with the same message. */
  private static Hold held(DeliveryDecision decision, DeliveryReason reason) {
    assertThat(decision.action()).isInstanceOf(Hold.class);
    Hold hold = (Hold) decision.action();
    assertThat(hold.reason()).isEqualTo(reason);
    assertThat(ready(decision).getReason()).isEqualTo(reason.name());
    assertThat(ready(decision).getStatus()).isEqualTo("False");
    assertThat(ready(decision).getMessage()).isEqualTo(hold.message());
    assertThat(ready(decision).getObservedGeneration()).isEqualTo(3L);
    return hold;
  }

  private static WebhookDeliveryStatus boundTo(String endpointUid, DeliveryPhase phase) {
    WebhookDeliveryStatus s = new WebhookDeliveryStatus();
    s.setPhase(phase);
    s.setAttempts(phase == DeliveryPhase.Pending ? 0 : 1);
    s.setEndpointUid(endpointUid);
    if (phase.isFinished()) {
      s.setCompletionTime(Times.format(T0.minusSeconds(60)));
    }
    return s;
  }

  @Test
  void aNewDeliveryIsSentBoundToItsEndpoint() {
    DeliveryDecision decision = decide(delivery(), endpoint());

    assertThat(decision.action()).isInstanceOf(Send.class);
    Send send = (Send) decision.action();
    assertThat(send.before().phase()).isEqualTo(DeliveryPhase.Pending);
    assertThat(send.before().attempts()).isZero();
    assertThat(send.settings().url()).isEqualTo("https://hooks.example.com/in");
    assertThat(decision.status().getEndpointUid()).isEqualTo("ep-uid");
    assertThat(decision.status().getMaxAttempts()).isEqualTo(3);
    assertThat(decision.status().getPhase()).isEqualTo(DeliveryPhase.Pending);
    assertThat(decision.status().getObservedGeneration()).isEqualTo(3L);
    assertThat(decision.status().getConditions()).isNull();
  }

  @Test
  void theDeliveryItselfIsNotChanged() {
    WebhookDelivery d = delivery();
    d.setStatus(boundTo("ep-uid", DeliveryPhase.Failed));
    String before = jsonOf(d);

    decide(d, null);
    decide(d, endpoint());

    assertThat(jsonOf(d)).isEqualTo(before);
  }

  private static String jsonOf(WebhookDelivery d) {
    return dev.herald.kube.KubeJson.serialization().asJson(d);
  }

  @Test
  void endpointNotFound() {
    Hold hold = held(decide(delivery(), null), DeliveryReason.EndpointNotFound);
    assertThat(hold.message())
        .isEqualTo("WebhookEndpoint ep does not exist (yet); the delivery waits for it");
    assertThat(hold.recheckAfter()).isNull();
  }

  @Test
  void invalidEndpoint() {
    WebhookEndpoint e = endpoint();
    e.getSpec().setUrl("ftp://hooks.example.com");

    DeliveryDecision decision = decide(delivery(), e);

    Hold hold = held(decision, DeliveryReason.InvalidEndpoint);
    assertThat(hold.message())
        .startsWith("WebhookEndpoint ep: spec.url: only http and https URLs can be delivered to");
    assertThat(hold.recheckAfter()).isNull();
    assertThat(decision.status().getEndpointUid()).isEqualTo("ep-uid");
  }

  @Test
  void invalidSpec() {
    WebhookDelivery d = delivery();
    d.getSpec().setEventType("order\r\ncreated");

    Hold hold = held(decide(d, endpoint()), DeliveryReason.InvalidSpec);
    assertThat(hold.message()).startsWith("spec.eventType must be printable ASCII");
  }

  @Test
  void pausedByTheUser() {
    WebhookEndpoint e = endpoint();
    e.getSpec().setPaused(true);
    WebhookDelivery d = delivery();
    d.setStatus(boundTo("ep-uid", DeliveryPhase.Failed));

    DeliveryDecision decision = decide(d, e);

    Hold hold = held(decision, DeliveryReason.EndpointPaused);
    assertThat(hold.message()).isEqualTo("WebhookEndpoint ep is paused");
    assertThat(hold.recheckAfter()).isNull();
    assertThat(decision.status().getPhase()).isEqualTo(DeliveryPhase.Pending);
    assertThat(DeliveryReason.EndpointPaused.warning()).isFalse();
  }

  @Test
  void pausedByItsFailurePolicy() {
    WebhookEndpoint e = endpoint();
    e.setStatus(new WebhookEndpointStatus());
    e.getStatus()
        .setAutoPaused(new AutoPause("Gone", "the endpoint answered 410 Gone", Times.format(T0)));

    Hold hold = held(decide(delivery(), e), DeliveryReason.EndpointPaused);
    assertThat(hold.message())
        .isEqualTo(
            "WebhookEndpoint ep was paused by its failurePolicy: the endpoint answered 410 Gone");
  }

  @Test
  void eventTypeNotSubscribed() {
    WebhookEndpoint e = endpoint();
    e.getSpec().setEventTypes(List.of("invoice.*"));

    Hold hold = held(decide(delivery(), e), DeliveryReason.EventTypeNotSubscribed);
    assertThat(hold.message())
        .isEqualTo("WebhookEndpoint ep does not subscribe to order.created (spec.eventTypes)");
    assertThat(hold.recheckAfter()).isNull();
  }

  @Test
  void waitingForAnEarlierFifoDelivery() {
    WebhookEndpoint e = endpoint();
    e.getSpec().setOrdering("fifo");
    WebhookDelivery earlier = Resources.delivery("ns", "d0", "ep", "{}");

    DeliveryDecision decision = DeliveryDecision.decide(delivery(), e, Optional.of(earlier), T0);

    Hold hold = held(decision, DeliveryReason.WaitingForEarlier);
    assertThat(hold.message()).isEqualTo("ordering: fifo: waits for delivery d0 to finish");
    assertThat(hold.recheckAfter()).isEqualTo(DeliveryDecision.FIFO_POLL);
  }

  @Test
  void anEarlierDeliveryDoesNotHoldOneOfAnUnorderedEndpoint() {
    WebhookDelivery earlier = Resources.delivery("ns", "d0", "ep", "{}");
    assertThat(DeliveryDecision.decide(delivery(), endpoint(), Optional.of(earlier), T0).action())
        .isInstanceOf(Send.class);
  }

  @Test
  void aDeletedEndpointCancelsItsDeliveries() {
    WebhookDelivery d = delivery();
    d.setStatus(boundTo("ep-uid", DeliveryPhase.Failed));

    DeliveryDecision decision = decide(d, null);

    Hold hold = held(decision, DeliveryReason.Cancelled);
    assertThat(hold.message())
        .isEqualTo(
            "WebhookEndpoint ep was deleted; this delivery is kept for audit and will not be sent");
    assertThat(decision.status().getPhase()).isEqualTo(DeliveryPhase.Cancelled);
    assertThat(decision.status().getCompletionTime()).isEqualTo(Times.format(T0));
    assertThat(decision.status().getAttempts()).isEqualTo(1);
  }

  @Test
  void aReCreatedEndpointOfTheSameNameIsAnotherReceiver() {
    WebhookEndpoint recreated = endpoint();
    recreated.getMetadata().setUid("other-uid");
    WebhookDelivery d = delivery();
    d.setStatus(boundTo("ep-uid", DeliveryPhase.Pending));

    held(decide(d, recreated), DeliveryReason.Cancelled);
  }

  private static WebhookDelivery replayed(DeliveryPhase phase) {
    WebhookDelivery d = delivery();
    d.setStatus(boundTo("ep-uid", phase));
    d.getMetadata().setAnnotations(new HashMap<>());
    d.getMetadata().getAnnotations().put(Herald.ANNOTATION_REPLAY, "1");
    return d;
  }

  @Test
  void aReplayOfACancelledDeliveryIsNotSent() {
    DeliveryDecision decision = decide(replayed(DeliveryPhase.Cancelled), null);

    Hold hold = held(decision, DeliveryReason.Cancelled);
    assertThat(hold.message())
        .isEqualTo(
            "WebhookEndpoint ep was deleted; this delivery is kept for audit and will not be sent");
    assertThat(decision.status().getPhase()).isEqualTo(DeliveryPhase.Cancelled);
    assertThat(decision.status().getObservedReplay()).isEqualTo("1");
  }

  @Test
  void aReplayAfterTheEndpointWasDeletedIsIgnored() {
    DeliveryDecision decision = decide(replayed(DeliveryPhase.Succeeded), null);

    Hold hold = held(decision, DeliveryReason.ReplayIgnored);
    assertThat(hold.message()).isEqualTo("replay ignored: WebhookEndpoint ep was deleted");
    assertThat(hold.recheckAfter()).isNull();
    assertThat(decision.status().getPhase()).isEqualTo(DeliveryPhase.Succeeded);
    assertThat(decision.status().getObservedReplay()).isEqualTo("1");
  }

  @Test
  void aCancelledDeliveryWithoutReplayRests() {
    WebhookDelivery d = delivery();
    d.setStatus(boundTo("ep-uid", DeliveryPhase.Cancelled));
    assertThat(decide(d, null).action()).isInstanceOf(Rest.class);
  }

  @Test
  void aReplayOfAFinishedDeliverySendsItAgainFromTheStart() {
    WebhookDelivery d = delivery();
    d.setStatus(boundTo("ep-uid", DeliveryPhase.Exhausted));
    d.getMetadata().setAnnotations(new HashMap<>());
    d.getMetadata().getAnnotations().put(Herald.ANNOTATION_REPLAY, "again");

    DeliveryDecision decision = decide(d, endpoint());

    assertThat(decision.action()).isInstanceOf(Send.class);
    assertThat(((Send) decision.action()).before().attempts()).isZero();
    assertThat(decision.status().getObservedReplay()).isEqualTo("again");
    assertThat(ready(decision).getReason()).isEqualTo(DeliveryReason.Replayed.name());
    assertThat(decision.status().getCompletionTime()).isNull();
  }

  @Test
  void aFinishedDeliveryRests() {
    WebhookDelivery d = delivery();
    d.setStatus(boundTo("ep-uid", DeliveryPhase.Succeeded));
    assertThat(decide(d, endpoint()).action()).isInstanceOf(Rest.class);
  }

  @Test
  void aRetryNotDueYetWaitsForItsTime() {
    WebhookDelivery d = delivery();
    WebhookDeliveryStatus s = boundTo("ep-uid", DeliveryPhase.Failed);
    s.setFirstAttemptTime(Times.format(T0.minusSeconds(30)));
    s.setNextAttemptTime(Times.format(T0.plusSeconds(30)));
    d.setStatus(s);

    assertThat(decide(d, endpoint()).action()).isEqualTo(new WaitUntil(T0.plusSeconds(30)));
    assertThat(
            DeliveryDecision.decide(d, endpoint(), Optional.empty(), T0.plusSeconds(30)).action())
        .isInstanceOf(Send.class);
  }

  @Test
  void maxAgePassedEndsTheDeliveryExhausted() {
    WebhookEndpoint e = endpoint();
    e.getSpec().getRetry().setMaxAge("10m");
    WebhookDelivery d = delivery();
    WebhookDeliveryStatus s = boundTo("ep-uid", DeliveryPhase.Failed);
    s.setFirstAttemptTime(Times.format(T0.minus(Duration.ofMinutes(11))));
    s.setNextAttemptTime(Times.format(T0.minusSeconds(1)));
    d.setStatus(s);

    DeliveryDecision decision = decide(d, e);

    assertThat(decision.action()).isInstanceOf(Expire.class);
    assertThat(decision.status().getPhase()).isEqualTo(DeliveryPhase.Exhausted);
    assertThat(ready(decision).getReason()).isEqualTo(DeliveryReason.Exhausted.name());
    assertThat(ready(decision).getMessage())
        .isEqualTo("retry.maxAge passed before the next attempt could start");
  }

  @Test
  void aTimerForTheNextAttemptNeverWakesBeforeIt() {
    Instant at = Instant.parse("2026-01-01T00:01:00.000Z");
    // truncated to milliseconds, 59,999 ms from 00:00:00.000400 would wake at 00:00:59.9994
    Instant now = Instant.parse("2026-01-01T00:00:00.000400Z");
    Duration wait = DeliveryDecision.wakeAfter(now, at);
    assertThat(wait).isEqualTo(Duration.ofMillis(60_000 + 1));
    // the timer counts whole milliseconds: started within the millisecond of now, it runs at the
    // start of the millisecond now + wait, at the earliest
    Instant earliestWake = now.truncatedTo(ChronoUnit.MILLIS).plus(wait);
    assertThat(earliestWake).isAfterOrEqualTo(at);
  }

  @Test
  void aWholeMillisecondWaitIsKeptAndAPastTimeIsNoWait() {
    Instant at = Instant.parse("2026-01-01T00:01:00Z");
    assertThat(DeliveryDecision.wakeAfter(at.minusMillis(250), at))
        .isEqualTo(Duration.ofMillis(251));
    assertThat(DeliveryDecision.wakeAfter(at, at)).isZero();
    assertThat(DeliveryDecision.wakeAfter(at.plusSeconds(1), at)).isZero();
  }

  @Test
  void aDeliveryWaitingForItsRetryIsLookedAtAgainOnlyOnceItIsDue() {
    Instant at = Instant.parse("2026-01-01T00:01:00Z");
    Instant now = at.minusNanos(12_345_678);
    DeliveryDecision waiting = new DeliveryDecision(new WebhookDeliveryStatus(), new WaitUntil(at));
    Duration recheck = waiting.recheckAfter(now);
    assertThat(now.truncatedTo(ChronoUnit.MILLIS).plus(recheck)).isAfterOrEqualTo(at);
    assertThat(recheck).isLessThanOrEqualTo(Duration.ofMillis(14));
  }
}
