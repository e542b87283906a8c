package dev.herald.helm;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The RBAC rules a rendered chart gives one ServiceAccount, evaluated the way Kubernetes' RBAC
 * authorizer does: a ClusterRole bound by a ClusterRoleBinding applies everywhere; a Role (or
 * ClusterRole) bound by a RoleBinding applies in the binding's namespace only.
 */
final class ChartRbac {

  /** A rule and where it applies: namespace null = every namespace and cluster scope. */
  record ScopedRule(String namespace, String source, PolicyRule rule) {}

  private final List<ScopedRule> rules = new ArrayList<>();

  ChartRbac(RenderedChart chart, String serviceAccountNamespace, String serviceAccountName) {
    for (ClusterRoleBinding binding : chart.all(ClusterRoleBinding.class)) {
      if (binds(binding.getSubjects(), serviceAccountNamespace, serviceAccountName)) {
        for (PolicyRule rule : rulesOf(chart, binding.getRoleRef(), null)) {
          rules.add(new ScopedRule(null, "ClusterRole/" + binding.getRoleRef().getName(), rule));
        }
      }
    }
    for (RoleBinding binding : chart.all(RoleBinding.class)) {
      if (binds(binding.getSubjects(), serviceAccountNamespace, serviceAccountName)) {
        String ns = binding.getMetadata().getNamespace();
        for (PolicyRule rule : rulesOf(chart, binding.getRoleRef(), ns)) {
          rules.add(
              new ScopedRule(
                  ns,
                  binding.getRoleRef().getKind() + "/" + ns + "/" + binding.getRoleRef().getName(),
                  rule));
        }
      }
    }
  }

  List<ScopedRule> rules() {
    return List.copyOf(rules);
  }

  /** The rules that apply to a request in this namespace (null: a cluster-scoped request). */
  List<PolicyRule> rulesIn(String namespace) {
    return rules.stream()
        .filter(
            r -> r.namespace() == null || (namespace != null && r.namespace().equals(namespace)))
        .map(ScopedRule::rule)
        .toList();
  }

  boolean allows(ApiRequest request) {
    return rulesIn(request.namespace()).stream().anyMatch(rule -> matches(rule, request));
  }

  static boolean matches(PolicyRule rule, ApiRequest request) {
    return contains(rule.getApiGroups(), request.group())
        && contains(rule.getResources(), request.rbacResource())
        && contains(rule.getVerbs(), request.verb())
        && (rule.getResourceNames() == null
            || rule.getResourceNames().isEmpty()
            // a rule naming objects never allows a request that names none (create, list, watch)
            || (request.name() != null && rule.getResourceNames().contains(request.name())));
  }

  private static boolean contains(List<String> values, String value) {
    return values != null && (values.contains(value) || values.contains("*"));
  }

  private static boolean binds(List<Subject> subjects, String namespace, String name) {
    return subjects != null
        && subjects.stream()
            .anyMatch(
                s ->
                    "ServiceAccount".equals(s.getKind())
                        && name.equals(s.getName())
                        && namespace.equals(s.getNamespace()));
  }

  private static List<PolicyRule> rulesOf(
      RenderedChart chart, RoleRef ref, String bindingNamespace) {
    if ("ClusterRole".equals(ref.getKind())) {
      return chart
          .named(ClusterRole.class, null, ref.getName())
          .map(ClusterRole::getRules)
          .orElseThrow(
              () ->
                  new AssertionError(
                      "binding to a ClusterRole the chart does not render: " + ref.getName()));
    }
    Objects.requireNonNull(bindingNamespace, "a ClusterRoleBinding cannot reference a Role");
    return chart
        .named(Role.class, bindingNamespace, ref.getName())
        .map(Role::getRules)
        .orElseThrow(
            () ->
                new AssertionError(
                    "RoleBinding in "
                        + bindingNamespace
                        + " to a Role the chart does not render there: "
                        + ref.getName()));
  }
}
