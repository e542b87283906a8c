package dev.herald.kube.client;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Kubernetes API request as the API server's own audit and metrics name it: the verb (get, list,
 * watch, create, update, patch, delete, deletecollection) and the resource's plural, without the
 * subresource ({@code webhookdeliveries/status} counts as webhookdeliveries). Paths that name no
 * resource (discovery, /version) have the resource {@value #NON_RESOURCE}.
 */
public record ApiCall(String verb, String resource) {
  public static final String NON_RESOURCE = "nonresource";

  /** The line of {@link #lineOf} for deletions (a space is in no namespace's name). */
  public static final String DELETIONS = " deletions";

  public static ApiCall of(String method, URI uri) {
    List<String> path =
        Arrays.stream(uri.getRawPath().split("/")).filter(s -> !s.isEmpty()).toList();
    // /api/v1/... or /apis/group/version/...
    int start =
        path.isEmpty()
            ? 0
            : path.get(0).equals("api") ? 2 : path.get(0).equals("apis") ? 3 : path.size();
    List<String> rest = start >= path.size() ? List.of() : path.subList(start, path.size());
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      rest =
          rest.subList(2, rest.size()); // namespaced: namespaces/NS/resource[/name[/subresource]]
    }
    if (rest.isEmpty()) {
      return new ApiCall(
          method.equalsIgnoreCase("GET") ? "get" : verb(method, true, false), NON_RESOURCE);
    }
    boolean named = rest.size() >= 2;
    return new ApiCall(verb(method, named, isWatch(uri)), rest.get(0));
  }

  /**
   * The namespace a request is about ({@code .../namespaces/NS/...}, or the Namespace NS itself);
   * "" for a request across namespaces or not about any.
   */
  public static String namespaceOf(URI uri) {
    List<String> path =
        Arrays.stream(uri.getRawPath().split("/")).filter(s -> !s.isEmpty()).toList();
    int start =
        path.isEmpty()
            ? 0
            : path.get(0).equals("api") ? 2 : path.get(0).equals("apis") ? 3 : path.size();
    return start + 1 < path.size() && path.get(start).equals("namespaces")
        ? path.get(start + 1)
        : "";
  }

  /**
   * The throttle's line for a request: deletions, of any namespace, wait in one line of their own,
   * not a name any namespace can have; everything else in its namespace's. Retention deletes every
   * finished object once, at the pace objects finish: in its namespace's line it would stand behind
   * every write queued there and fall behind for good, while as a line of its own it takes turns
   * with the namespaces, never more than one turn in each round.
   */
  public static String lineOf(String method, URI uri) {
    return "DELETE".equalsIgnoreCase(method) ? DELETIONS : namespaceOf(uri);
  }

  /** Watches are long-lived streams: the client's rate limit must not hold them back. */
  public static boolean isWatch(URI uri) {
    String query = uri.getRawQuery();
    if (query == null) {
      return false;
    }
    return Arrays.stream(query.split("&"))
        .anyMatch(p -> p.equals("watch=true") || p.equals("watch=1"));
  }

  /**
   * Leader election (Leases): a renewal held back behind a queue of reconcile requests could miss
   * the renew deadline and cost the replica its lease, so these bypass the limit
   * (kube-controller-manager and controller-runtime give leader election a client, and so a rate
   * limit, of its own).
   */
  public static boolean isLeaderElection(URI uri) {
    return uri.getRawPath().startsWith("/apis/coordination.k8s.io/");
  }

  private static String verb(String method, boolean named, boolean watch) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "GET" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method.toLowerCase(Locale.ROOT);
    };
  }
}
