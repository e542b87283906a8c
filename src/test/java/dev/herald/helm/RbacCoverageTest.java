package dev.herald.helm;

import static dev.herald.testing.Resources.delivery;
import static dev.herald.testing.Resources.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.Herald;
import dev.herald.api.v1alpha1.DeliveryPhase;
import dev.herald.api.v1alpha1.SecretKeyRef;
import dev.herald.api.v1alpha1.SigningSpec;
import dev.herald.api.v1alpha1.WebhookDelivery;
import dev.herald.api.v1alpha1.WebhookEndpoint;
import dev.herald.demo.MockServerSelectors;
import dev.herald.operator.HeraldConfig;
import dev.herald.operator.HeraldOperator;
import dev.herald.testing.OperatorHarness;
import dev.herald.testing.Resources;
import dev.herald.testing.TestReceiver;
import dev.herald.testing.TestReceiver.Response;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the chart's RBAC from what the operator really does: runs the real operator, with leader
 * election, against fabric8's mock API server, drives every code path that talks to the API,
 * records each request the operator's own client made, and checks each against the rules the
 * rendered chart binds to its ServiceAccount, the way the API server's authorizer would. In
 * reverse, every verb the chart grants must have been used, or be on a short, explained list.
 */
@EnableKubernetesMockClient(crud = true)
class RbacCoverageTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The operator's client sends this User-Agent; the test's own client does not. */
  private static final String OPERATOR_AGENT = "herald-rbac-coverage/operator";

  /** The client of the leader-election probe (see {@link #startLeaseProbe}). */
  private static final String LEASE_AGENT = "herald-rbac-coverage/leader-election";

  /**
   * Granted by the chart although this scenario cannot show the operator using it: (group,
   * resource, verb) and why.
   */
  private static final Map<String, String> GRANTED_WITHOUT_USE =
      Map.of(
          "herald.dev webhookdeliveries get",
          "a delivery is read before acting only when the informer has not yet caught up with the operator's own "
              + "last write, and before recording an attempt only when something changed it meanwhile: timing decides "
              + "whether a run needs it (ApiFaultsE2E makes it happen on the real server)",
          "coordination.k8s.io leases update",
          "JOSDK's LeaderElectionManager refuses to start unless a SelfSubjectRulesReview shows create, get "
              + "and update on leases (the renewals themselves are patches); startLeaseProbe answers that review "
              + "from the chart, so dropping update fails this test at startup",
          "herald.dev webhookevents delete",
          "FinishedEvents deletes an event only once it and its deliveries finished, its TTL ran out and at "
              + "least EventRetention.MIN_AGE (30 s) passed since it fanned out, longer than this test runs; "
              + "RetentionE2E shows the deletion on the real API server",
          "herald.dev webhookendpoints/finalizers update",
          "generated Secrets carry an owner reference to their endpoint; the OwnerReferencesPermissionEnforcement "
              + "admission plugin (OpenShift) asks for this when blockOwnerDeletion is true (Herald sets false), and "
              + "no mock server runs admission; it adds nothing to 'patch' on webhookendpoints");

  /**
   * Requests every authenticated user may make under Kubernetes' default ClusterRoles
   * (system:basic-user): the chart need not grant them.
   */
  private static final Set<String> GRANTED_BY_DEFAULT =
      Set.of(
          // JOSDK checks its Lease rights with a SelfSubjectRulesReview before electing a leader
          "authorization.k8s.io selfsubjectrulesreviews create");

  KubernetesClient client;
  KubernetesMockServer server;

  private final List<RecordedRequest> recorded = new ArrayList<>();
  private TestReceiver receiver;
  private KubernetesClient operatorClient;
  private KubernetesClient leaseClient;
  private HeraldOperator operator;
  private Operator leaseProbe;

  @BeforeEach
  void setUp() {
    receiver = new TestReceiver();
    MockServerSelectors.install(server);
    OperatorHarness.installCrds(client);
    operatorClient = clientWithAgent(OPERATOR_AGENT);
    leaseClient = clientWithAgent(LEASE_AGENT);
  }

  private KubernetesClient clientWithAgent(String agent) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(agent).build())
        .build();
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
    if (leaseProbe != null) {
      leaseProbe.stop();
    }
    operatorClient.close();
    leaseClient.close();
    receiver.close();
  }

  @Test
  void clusterWideOperatorNeedsNoMoreThanTheClusterRoleGrants() {
    RenderedChart chart = RenderedChart.render(Map.of("replicaCount", 2));
    ChartRbac rbac = new ChartRbac(chart, RenderedChart.RELEASE_NAMESPACE, RenderedChart.RELEASE);
    assertThat(rbac.rules())
        .extracting(ChartRbac.ScopedRule::source)
        .contains("ClusterRole/herald", "Role/herald-system/herald-leader-election");

    startOperator(rbac, Set.of());
    driveEveryApiPath("shop");
    List<ApiRequest> requests = stopAndCollect();

    assertAllowed(rbac, requests);
    assertEveryGrantUsed(rbac, requests);
  }

  @Test
  void namespacedOperatorNeedsNoMoreThanTheRolesOfItsNamespacesGrant() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of("replicaCount", 2, "watchNamespaces", List.of("shop", "billing")));
    ChartRbac rbac = new ChartRbac(chart, RenderedChart.RELEASE_NAMESPACE, RenderedChart.RELEASE);
    assertThat(rbac.rules()).extracting(ChartRbac.ScopedRule::namespace).doesNotContainNull();

    startOperator(rbac, Set.of("shop", "billing"));
    driveEveryApiPath("shop");
    // and the other watched namespace works too, with its own Role
    client.resource(endpoint("billing", "ledger", receiver.url("/ledger"), "1s")).create();
    client.resource(delivery("billing", "entry-1", "ledger", "{\"entry\": 1}")).create();
    awaitDelivery("billing", "entry-1", DeliveryPhase.Succeeded);
    // a namespace the operator does not watch is left alone, and no request went there
    client.resource(endpoint("elsewhere", "ignored", receiver.url("/ignored"), "1s")).create();
    List<ApiRequest> requests = stopAndCollect();

    assertThat(requests)
        .filteredOn(r -> !GRANTED_BY_DEFAULT.contains(key(r)))
        .allSatisfy(
            r ->
                assertThat(r.namespace())
                    .as(r.describe())
                    .isIn("shop", "billing", RenderedChart.RELEASE_NAMESPACE));
    assertAllowed(rbac, requests);
    assertEveryGrantUsed(rbac, requests);
  }

  private void startOperator(ChartRbac rbac, Set<String> namespaces) {
    startLeaseProbe(rbac);
    operator =
        new HeraldOperator(
                operatorClient,
                OperatorHarness.testConfig().toBuilder().namespaces(namespaces).build())
            .start();
  }

  /**
   * The Lease calls of leader election (on in the chart whenever replicaCount > 1). They come from
   * JOSDK's LeaderElectionManager alone, with HeraldOperator's settings: Lease {@value
   * HeraldConfig#LEASE_NAME} in the release namespace, default durations. The Herald operator
   * itself runs without it here, because JOSDK's default for a stopping leader is System.exit(1),
   * which would end the test JVM; this probe is the same manager with exitOnStopLeading off,
   * guarding a no-op controller.
   */
  private void startLeaseProbe(ChartRbac rbac) {
    // What the API server answers JOSDK's SelfSubjectRulesReview in the Lease namespace: the rules
    // the chart binds there. So JOSDK's own check of its Lease rights runs against the chart.
    SelfSubjectRulesReview review =
        new SelfSubjectRulesReviewBuilder()
            .withNewSpec()
            .withNamespace(RenderedChart.RELEASE_NAMESPACE)
            .endSpec()
            .withNewStatus()
            .withIncomplete(false)
            .withResourceRules(
                rbac.rulesIn(RenderedChart.RELEASE_NAMESPACE).stream()
                    .map(RbacCoverageTest::toResourceRule)
                    .toList())
            .endStatus()
            .build();
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, review)
        .always();
    leaseProbe =
        new Operator(
            o ->
                o.withKubernetesClient(leaseClient)
                    .withCloseClientOnStop(false)
                    .withLeaderElectionConfiguration(
                        new LeaderElectionConfiguration(
                            HeraldConfig.LEASE_NAME,
                            RenderedChart.RELEASE_NAMESPACE,
                            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                            null,
                            null,
                            false)));
    leaseProbe.register(
        new NoOpReconciler(), o -> o.settingNamespace(RenderedChart.RELEASE_NAMESPACE));
    leaseProbe.start();
  }

  /** Guards nothing: JOSDK starts no leader election without a controller. */
  @ControllerConfiguration(name = "lease-probe")
  static final class NoOpReconciler implements Reconciler<ConfigMap> {
    @Override
    public UpdateControl<ConfigMap> reconcile(ConfigMap resource, Context<ConfigMap> context) {
      return UpdateControl.noUpdate();
    }
  }

  private static io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule toResourceRule(
      PolicyRule rule) {
    return new ResourceRuleBuilder()
        .withApiGroups(rule.getApiGroups())
        .withResources(rule.getResources())
        .withResourceNames(rule.getResourceNames())
        .withVerbs(rule.getVerbs())
        .build();
  }

  /**
   * Every operator code path that calls the API: generated and user Secrets, a failed then
   * successful attempt (endpoint health), rotation until the old Secret is deleted, replay,
   * cancellation by endpoint deletion (finalizer, Secret cleanup, events), an event's fan-out,
   * retention deleting a finished delivery, and Lease renewal.
   */
  private void driveEveryApiPath(String ns) {
    receiver.thenRespond(Response.of(500)); // the very first attempt fails, the retry succeeds

    WebhookEndpoint billing = endpoint(ns, "billing", receiver.url("/billing"), "1s");
    SigningSpec signing = new SigningSpec();
    signing.setRotationOverlap("2s");
    billing.getSpec().setSigning(signing);
    client.resource(billing).create();
    String firstSecret = awaitSecretName(ns, "billing");

    client.resource(delivery(ns, "order-1", "billing", "{\"order\": 1}")).create();
    awaitDelivery(ns, "order-1", DeliveryPhase.Succeeded);
    assertThat(
            client
                .resources(WebhookDelivery.class)
                .inNamespace(ns)
                .withName("order-1")
                .get()
                .getStatus()
                .getAttempts())
        .isEqualTo(2);

    // rotation: a new Secret; after the 2s overlap the old one is deleted
    Resources.editRetrying(
        client.resources(WebhookEndpoint.class).inNamespace(ns).withName("billing"),
        e -> annotate(e, Herald.ANNOTATION_ROTATE_SECRET, "r1"));
    await()
        .atMost(WAIT)
        .until(() -> client.secrets().inNamespace(ns).withName(firstSecret).get() == null);
    await()
        .atMost(WAIT)
        .until(() -> endpointOf(ns, "billing").getStatus().getRetiredSecrets() == null);

    // replay: the same delivery is sent again
    client
        .resources(WebhookDelivery.class)
        .inNamespace(ns)
        .withName("order-1")
        .edit(d -> annotate(d, Herald.ANNOTATION_REPLAY, "1"));
    await().atMost(WAIT).until(() -> receiver.receivedOn("/billing").size() == 3);
    awaitDelivery(ns, "order-1", DeliveryPhase.Succeeded);

    // an endpoint signing with the user's own Secret
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("partner-key")
                .withNamespace(ns)
                .withLabels(Map.of(Herald.LABEL_USABLE, Herald.USABLE))
                .endMetadata()
                .withData(
                    Map.of(
                        "key",
                        Base64.getEncoder()
                            .encodeToString(
                                "whsec_b6Ovv5eS7H5seJrGSStBYDivs8v2/KrFjfMaVZYsi7w="
                                    .getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
    WebhookEndpoint partner = endpoint(ns, "partner", receiver.url("/partner"), "1s");
    SigningSpec userKey = new SigningSpec();
    userKey.setSecretRef(new SecretKeyRef("partner-key", "key"));
    partner.getSpec().setSigning(userKey);
    client.resource(partner).create();
    client.resource(delivery(ns, "order-2", "partner", "{\"order\": 2}")).create();
    awaitDelivery(ns, "order-2", DeliveryPhase.Succeeded);

    // spec.tls.caBundle from a ConfigMap: read by name (configmaps get), whatever the URL's scheme
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("private-ca")
                .withNamespace(ns)
                .endMetadata()
                .withData(Map.of("ca.crt", dev.herald.testing.TestCerts.ca("private CA").certPem()))
                .build())
        .create();
    WebhookEndpoint internal = endpoint(ns, "internal", receiver.url("/internal"), "1s");
    dev.herald.api.v1alpha1.TlsSpec tls = new dev.herald.api.v1alpha1.TlsSpec();
    dev.herald.api.v1alpha1.CaBundleSpec bundle = new dev.herald.api.v1alpha1.CaBundleSpec();
    bundle.setConfigMapName("private-ca");
    tls.setCaBundle(bundle);
    internal.getSpec().setTls(tls);
    client.resource(internal).create();
    client.resource(delivery(ns, "order-ca", "internal", "{\"order\": 9}")).create();
    awaitDelivery(ns, "order-ca", DeliveryPhase.Succeeded);

    // deleting an endpoint with an unfinished delivery: cancelled, its generated Secret deleted
    client.resource(endpoint(ns, "gone", "http://127.0.0.1:1/refused", "1h")).create();
    String goneSecret = awaitSecretName(ns, "gone");
    client.resource(delivery(ns, "order-3", "gone", "{\"order\": 3}")).create();
    awaitDelivery(ns, "order-3", DeliveryPhase.Failed);
    client.resources(WebhookEndpoint.class).inNamespace(ns).withName("gone").delete();
    awaitDelivery(ns, "order-3", DeliveryPhase.Cancelled);
    await().atMost(WAIT).until(() -> endpointOf(ns, "gone") == null);
    assertThat(client.secrets().inNamespace(ns).withName(goneSecret).get()).isNull();

    // an event published once fans out to the subscribed endpoints; a short history deletes it
    // after. recordSuccesses: a delivery is created however the first attempt goes (without it,
    // one that succeeds at once is recorded on the event only, and whether this run creates and
    // deletes a delivery then depends on timing)
    WebhookEndpoint brief = endpoint(ns, "brief", receiver.url("/brief"), "1s");
    dev.herald.api.v1alpha1.HistorySpec history = new dev.herald.api.v1alpha1.HistorySpec();
    history.setTtlAfterFinished("1s");
    history.setRecordSuccesses(true);
    brief.getSpec().setHistory(history);
    client.resource(brief).create();
    dev.herald.api.v1alpha1.WebhookEvent event = new dev.herald.api.v1alpha1.WebhookEvent();
    event.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("evt-1")
            .withNamespace(ns)
            .build());
    dev.herald.api.v1alpha1.WebhookEventSpec eventSpec =
        new dev.herald.api.v1alpha1.WebhookEventSpec();
    eventSpec.setEventType("order.created");
    eventSpec.setPayload(delivery(ns, "unused", "brief", "{\"order\": 4}").getSpec().getPayload());
    event.setSpec(eventSpec);
    client.resource(event).create();
    await().atMost(WAIT).until(() -> receiver.receivedOn("/brief").size() == 1);
    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                    .resources(WebhookDelivery.class)
                    .inNamespace(ns)
                    .withLabel(Herald.LABEL_ENDPOINT, "brief")
                    .list()
                    .getItems()
                    .isEmpty());

    // a digest: the informer, the endpoints and deliveries listed, its SMTP Secret read by name,
    // status patched; a missing Secret first (a Warning Event), then the real one
    try (dev.herald.testing.SmtpSink smtp = new dev.herald.testing.SmtpSink()) {
      dev.herald.api.v1alpha1.WebhookDigest digest = new dev.herald.api.v1alpha1.WebhookDigest();
      digest.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName("ops")
              .withNamespace(ns)
              .build());
      dev.herald.api.v1alpha1.WebhookDigestSpec digestSpec =
          new dev.herald.api.v1alpha1.WebhookDigestSpec();
      digestSpec.setInterval("1s");
      dev.herald.api.v1alpha1.WebhookDigestSpec.Email email =
          new dev.herald.api.v1alpha1.WebhookDigestSpec.Email();
      email.setTo(List.of("oncall@example.com"));
      email.setSmtpSecretRef(new dev.herald.api.v1alpha1.WebhookDigestSpec.SmtpSecretRef("smtp"));
      digestSpec.setEmail(email);
      digest.setSpec(digestSpec);
      client.resource(digest).create();
      await().atMost(WAIT).until(() -> digestResult(ns, "ops", "Failed"));
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("smtp")
                  .withNamespace(ns)
                  .withLabels(Map.of(Herald.LABEL_USABLE, Herald.USABLE))
                  .endMetadata()
                  .withStringData(
                      Map.of(
                          "host",
                          "127.0.0.1",
                          "port",
                          String.valueOf(smtp.port()),
                          "starttls",
                          "disabled"))
                  .build())
          .create();
      await().atMost(WAIT).until(() -> digestResult(ns, "ops", "NothingToReport"));
    }

    // the leader renews its Lease
    await()
        .atMost(WAIT)
        .until(
            () -> {
              drain();
              // fabric8's LeaseLock renews with a PATCH of the Lease
              return recorded.stream()
                  .anyMatch(
                      r ->
                          LEASE_AGENT.equals(r.getHeader("User-Agent"))
                              && r.getMethod().equals("PATCH")
                              && r.getPath().contains("/leases/"));
            });
    Lease lease =
        client
            .leases()
            .inNamespace(RenderedChart.RELEASE_NAMESPACE)
            .withName(HeraldConfig.LEASE_NAME)
            .get();
    assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
  }

  private boolean digestResult(String ns, String name, String result) {
    dev.herald.api.v1alpha1.WebhookDigest d =
        client
            .resources(dev.herald.api.v1alpha1.WebhookDigest.class)
            .inNamespace(ns)
            .withName(name)
            .get();
    return d != null
        && d.getStatus() != null
        && d.getStatus().getLastResult() != null
        && result.equals(d.getStatus().getLastResult().getResult());
  }

  private List<ApiRequest> stopAndCollect() {
    operator.close();
    operator = null;
    leaseProbe.stop();
    leaseProbe = null;
    drain();
    List<ApiRequest> requests = new ArrayList<>();
    for (RecordedRequest r : recorded) {
      String agent = r.getHeader("User-Agent");
      boolean fromOperator = OPERATOR_AGENT.equals(agent);
      if (!fromOperator && !LEASE_AGENT.equals(agent)) {
        continue; // the test's own setup and checks
      }
      ApiRequest request = ApiRequest.parse(r.getMethod(), r.getPath());
      assertThat(request).as("a non-resource URL: " + r.getRequestLine()).isNotNull();
      boolean leaderElection =
          request.group().equals("coordination.k8s.io")
              || request.group().equals("authorization.k8s.io");
      if (fromOperator) {
        assertThat(leaderElection)
            .as("the operator ran without leader election: " + request.describe())
            .isFalse();
        requests.add(request);
      } else if (leaderElection) {
        requests.add(
            request); // the probe's no-op controller watches ConfigMaps: not Herald's business
      }
    }
    assertThat(requests).as("requests recorded from the operator's client").isNotEmpty();
    return requests;
  }

  private void drain() {
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
        recorded.add(r);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void assertAllowed(ChartRbac rbac, List<ApiRequest> requests) {
    List<String> denied =
        requests.stream()
            .filter(r -> !rbac.allows(r))
            .filter(r -> !GRANTED_BY_DEFAULT.contains(key(r)))
            .map(ApiRequest::describe)
            .distinct()
            .toList();
    assertThat(denied)
        .as(
            "operator requests the chart's RBAC would deny (add the verb to herald.rules in "
                + "helm/herald/templates/_helpers.tpl, or stop making the call)")
        .isEmpty();
  }

  private static void assertEveryGrantUsed(ChartRbac rbac, List<ApiRequest> requests) {
    Set<String> unused = new TreeSet<>();
    for (ChartRbac.ScopedRule scoped : rbac.rules()) {
      PolicyRule rule = scoped.rule();
      assertThat(rule.getVerbs()).as("no wildcard verbs").doesNotContain("*");
      assertThat(rule.getResources()).as("no wildcard resources").doesNotContain("*");
      assertThat(rule.getApiGroups()).as("no wildcard groups").doesNotContain("*");
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            String grant = (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
            Predicate<ApiRequest> uses =
                r ->
                    r.group().equals(group)
                        && r.rbacResource().equals(resource)
                        && r.verb().equals(verb)
                        && ChartRbac.matches(rule, r);
            if (requests.stream().noneMatch(uses) && !GRANTED_WITHOUT_USE.containsKey(grant)) {
              unused.add(scoped.source() + ": " + grant);
            }
          }
        }
      }
    }
    assertThat(unused)
        .as(
            "verbs the chart grants but the operator never used (least privilege: drop them, or list "
                + "them in GRANTED_WITHOUT_USE with the reason). Used: "
                + usedSummary(requests))
        .isEmpty();
  }

  private static String key(ApiRequest r) {
    return (r.group().isEmpty() ? "core" : r.group()) + " " + r.rbacResource() + " " + r.verb();
  }

  private static String usedSummary(List<ApiRequest> requests) {
    return requests.stream()
        .map(
            r ->
                (r.group().isEmpty() ? "\"\"" : r.group())
                    + " "
                    + r.rbacResource()
                    + " "
                    + r.verb())
        .collect(Collectors.toCollection(TreeSet::new))
        .toString();
  }

  private String awaitSecretName(String ns, String name) {
    return OperatorHarness.awaitSigningSecret(client, ns, name, WAIT);
  }

  private void awaitDelivery(String ns, String name, DeliveryPhase phase) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              WebhookDelivery d =
                  client.resources(WebhookDelivery.class).inNamespace(ns).withName(name).get();
              return d != null && d.getStatus() != null && d.getStatus().getPhase() == phase;
            });
  }

  private WebhookEndpoint endpointOf(String ns, String name) {
    return client.resources(WebhookEndpoint.class).inNamespace(ns).withName(name).get();
  }

  private static <T extends HasMetadata> T annotate(T resource, String key, String value) {
    Map<String, String> annotations =
        resource.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(resource.getMetadata().getAnnotations());
    annotations.put(key, value);
    resource.getMetadata().setAnnotations(annotations);
    return resource;
  }
}
