package dev.herald.helm;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * One HTTP request to the Kubernetes API, as the API server's authorizer sees it: API group,
 * resource (with subresource), namespace, name and verb.
 *
 * @param namespace null for a cluster-scoped or all-namespaces request
 * @param name null for a collection request
 * @param subresource null unless the path names one (status, finalizers, ...)
 */
record ApiRequest(
    String method,
    String path,
    String group,
    String resource,
    String subresource,
    String namespace,
    String name,
    String verb) {

  /** The resource as RBAC rules name it: {@code webhookendpoints/status}. */
  String rbacResource() {
    return subresource == null ? resource : resource + "/" + subresource;
  }

  /**
   * What the API server would check, e.g. {@code patch herald.dev webhookdeliveries/status in
   * shop}.
   */
  String describe() {
    return verb
        + " "
        + (group.isEmpty() ? "core" : group)
        + " "
        + rbacResource()
        + (name == null ? "" : " " + name)
        + (namespace == null ? " (cluster scope)" : " in " + namespace)
        + "  ["
        + method
        + " "
        + path
        + "]";
  }

  /**
   * Maps a request line the way the API server's request-info resolver does: {@code /api/v1/...} is
   * the core group, {@code /apis/GROUP/VERSION/...} any other; {@code namespaces/NS/RESOURCE} is
   * namespaced. GET of one object is get, of a collection list, with {@code watch=true} watch; POST
   * create, PUT update, PATCH patch, DELETE delete or (collection) deletecollection.
   *
   * @return null for a non-resource path (discovery, /version)
   */
  static ApiRequest parse(String method, String pathAndQuery) {
    URI uri = URI.create(pathAndQuery);
    List<String> parts =
        Arrays.stream(uri.getRawPath().split("/")).filter(s -> !s.isEmpty()).toList();
    String group;
    List<String> rest;
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      group = "";
      rest = parts.subList(2, parts.size());
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      rest = parts.subList(3, parts.size());
    } else {
      return null;
    }
    if (rest.isEmpty()) {
      return null; // discovery of one group version
    }
    String namespace = null;
    if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : null;
    String subresource = rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : null;
    if (namespace == null && resource.equals("namespaces") && name != null) {
      namespace = name; // a namespace object is its own namespace to the authorizer
    }
    boolean watch =
        uri.getRawQuery() != null
            && Arrays.stream(uri.getRawQuery().split("&"))
                .anyMatch(p -> p.equals("watch=true") || p.equals("watch=1"));
    String verb =
        switch (method.toUpperCase(java.util.Locale.ROOT)) {
          case "GET", "HEAD" -> watch ? "watch" : name == null ? "list" : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name == null ? "deletecollection" : "delete";
          default ->
              throw new IllegalArgumentException(
                  "unexpected method " + method + " " + pathAndQuery);
        };
    return new ApiRequest(
        method, pathAndQuery, group, resource, subresource, namespace, name, verb);
  }
}
