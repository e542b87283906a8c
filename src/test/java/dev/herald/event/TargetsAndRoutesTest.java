package dev.herald.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.EndpointSelector;
import dev.herald.api.v1alpha1.HistorySpec;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.api.v1alpha1.WebhookEndpointStatus;
import dev.herald.api.v1alpha1.WebhookEventSpec;
import dev.herald.event.Routes.Way;
import dev.herald.testing.Resources;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which endpoints an event is for, and which way it goes to each. */
class TargetsAndRoutesTest {

  private static WebhookEndpoint endpoint(
      String name, Map<String, String> labels, String... types) {
    WebhookEndpoint e = Resources.endpoint("ns", name, "https://hooks.example.com/" + name, "1m");
    e.getMetadata().setUid(name + "-uid");
    e.getMetadata().setLabels(labels);
    e.getSpec().setEventTypes(types.length == 0 ? null : List.of(types));
    return e;
  }

  private static WebhookEndpoint ready(WebhookEndpoint e) {
    WebhookEndpointStatus status = new WebhookEndpointStatus();
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("True")
                .withReason("Ready")
                .build()));
    e.setStatus(status);
    return e;
  }

  private static WebhookEventSpec spec(List<String> named, EndpointSelector selector) {
    WebhookEventSpec spec = new WebhookEventSpec();
    spec.setEventType("order.created");
    spec.setEndpoints(named);
    spec.setEndpointSelector(selector);
    return spec;
  }

  private static List<String> names(Targets.Audience audience) {
    return audience.subscribers().stream().map(e -> e.getMetadata().getName()).toList();
  }

  private final List<WebhookEndpoint> all =
      List.of(
          endpoint("crm", Map.of("team", "sales")),
          endpoint("billing", Map.of("team", "finance", "customer", "acme"), "order.*"),
          endpoint("invoices", Map.of("team", "finance"), "invoice.*"),
          endpoint("audit", null, "order.created"));

  @Test
  void withoutTargetsEverySubscriberOfTheNamespaceReceivesByName() {
    assertThat(names(Targets.of(spec(null, null), all))).containsExactly("audit", "billing", "crm");
    assertThat(names(Targets.of(spec(List.of(), null), all)))
        .as("an empty list names no one, so it narrows nothing")
        .containsExactly("audit", "billing", "crm");
  }

  @Test
  void namedAndSelectedEndpointsReceiveEitherSufficingButEachMustSubscribe() {
    EndpointSelector finance = new EndpointSelector();
    finance.setMatchLabels(Map.of("team", "finance"));
    Targets.Audience audience =
        Targets.of(spec(List.of("audit", "invoices", "gone"), finance), all);
    assertThat(names(audience)).containsExactly("audit", "billing");
    assertThat(audience.unreached())
        .containsExactly("invoices does not subscribe to order.created", "gone not found");
    assertThat(audience.unreachedCount()).isEqualTo(2);
  }

  @Test
  void selectorExpressionsFollowKubernetesSemantics() {
    EndpointSelector s = new EndpointSelector();
    s.setMatchExpressions(
        List.of(
            new EndpointSelector.Requirement("team", "In", List.of("sales", "finance")),
            new EndpointSelector.Requirement("customer", "DoesNotExist", null)));
    assertThat(names(Targets.of(spec(null, s), all))).containsExactly("crm");
    s.setMatchExpressions(
        List.of(new EndpointSelector.Requirement("team", "NotIn", List.of("sales"))));
    assertThat(names(Targets.of(spec(null, s), all))).containsExactly("audit", "billing");
    s.setMatchExpressions(List.of(new EndpointSelector.Requirement("customer", "Exists", null)));
    assertThat(names(Targets.of(spec(null, s), all))).containsExactly("billing");
    s.setMatchExpressions(List.of(new EndpointSelector.Requirement("team", "Matches", null)));
    assertThat(names(Targets.of(spec(null, s), all))).as("unknown operator").isEmpty();
    assertThat(names(Targets.of(spec(null, new EndpointSelector()), all)))
        .as("an empty selector selects every endpoint, as in Kubernetes")
        .containsExactly("audit", "billing", "crm");
  }

  @Test
  void theNamedListIsBoundedInTheMessage() {
    List<String> named = java.util.stream.IntStream.range(0, 30).mapToObj(i -> "ep-" + i).toList();
    Targets.Audience audience = Targets.of(spec(named, null), all);
    assertThat(audience.unreached()).hasSize(Targets.MAX_UNREACHED_NAMED);
    assertThat(audience.unreachedCount()).isEqualTo(30);
  }

  @Test
  void aReadyEndpointTakesTheFirstAttempt() {
    assertThat(Routes.of(ready(endpoint("crm", null)), false).way()).isEqualTo(Way.FIRST_ATTEMPT);
    assertThat(Routes.of(ready(endpoint("crm", null)), false).settings()).isNotNull();
  }

  @Test
  void endpointsWhoseRulesADeliveryKeepsTakeADelivery() {
    WebhookEndpoint paused = ready(endpoint("p", null));
    paused.getSpec().setPaused(true);
    WebhookEndpoint fifo = ready(endpoint("f", null));
    fifo.getSpec().setOrdering("fifo");
    WebhookEndpoint recorded = ready(endpoint("r", null));
    HistorySpec history = new HistorySpec();
    history.setRecordSuccesses(true);
    recorded.getSpec().setHistory(history);
    WebhookEndpoint autoPaused = ready(endpoint("a", null));
    autoPaused.getStatus().setAutoPaused(new dev.herald.api.v1alpha1.AutoPause());
    WebhookEndpoint invalid = ready(endpoint("i", null));
    invalid.getSpec().setTimeout("0s");

    assertThat(Routes.of(paused, false).why()).isEqualTo("paused");
    assertThat(Routes.of(autoPaused, false).why()).isEqualTo("paused");
    assertThat(Routes.of(fifo, false).why()).isEqualTo("ordering: fifo");
    assertThat(Routes.of(recorded, false).why()).isEqualTo("history.recordSuccesses");
    assertThat(Routes.of(endpoint("n", null), false).why()).isEqualTo("not Ready");
    assertThat(Routes.of(invalid, false).why()).isEqualTo("invalid");
    for (WebhookEndpoint e : List.of(paused, autoPaused, fifo, recorded, invalid)) {
      assertThat(Routes.of(e, false).way()).isEqualTo(Way.DELIVERY);
    }
  }

  @Test
  void aRateLimitedEndpointTakesADeliverySoThatItsRateIsKeptInOnePlace() {
    WebhookEndpoint paced = ready(endpoint("rl", null));
    var limit = new dev.herald.api.v1alpha1.RateLimitSpec();
    limit.setRequests(5);
    paced.getSpec().setRateLimit(limit);
    assertThat(Routes.of(paced, false).way()).isEqualTo(Way.DELIVERY);
    assertThat(Routes.of(paced, false).why()).isEqualTo("rateLimit");
  }

  @Test
  void anEndpointThatHasThisEventsDeliveryIsNotSentToAgain() {
    assertThat(Routes.of(ready(endpoint("crm", null)), true).way()).isEqualTo(Way.EXISTING);
  }
}
