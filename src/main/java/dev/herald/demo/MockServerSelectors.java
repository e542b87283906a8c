package dev.herald.demo;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.lang.reflect.Field;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Teaches fabric8's mock API server (the embedded demo, the mock-server tests) the set-based label
 * selectors {@code key in (a,b)} and {@code key notin (a,b)} Herald's informers use. Its matcher
 * knows both, but its selector parser (7.5.2) splits on every comma and knows only equality and
 * existence, so such a list or watch fails.
 */
public final class MockServerSelectors {
  private static final Pattern SET_BASED =
      Pattern.compile("^\\s*(\\S+)\\s+(in|notin)\\s+\\(([^)]*)\\)\\s*$");
  private static final String LABELS = "labels:";
  private static final String PARAM = "labelSelector=";

  private MockServerSelectors() {}

  /**
   * A CRUD dispatcher, as {@code new KubernetesCrudDispatcher(List.of())}, that knows set-based
   * selectors.
   */
  public static KubernetesCrudDispatcher dispatcher() {
    KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher(List.of());
    install(dispatcher);
    return dispatcher;
  }

  /** For a server built by fabric8's JUnit extension. */
  public static void install(KubernetesMockServer server) {
    Object dispatcher = read(server, KubernetesMockServer.class, "dispatcher");
    if (dispatcher instanceof KubernetesMixedDispatcher mixed) {
      dispatcher = read(mixed, KubernetesMixedDispatcher.class, "kubernetesCrudDispatcher");
    }
    install((KubernetesCrudDispatcher) dispatcher);
  }

  // The parser is not pluggable: both of the dispatcher's references to it are replaced.
  private static void install(KubernetesCrudDispatcher dispatcher) {
    Extractor extractor = new Extractor();
    extractor.setCustomResourceDefinitionProcessor(
        (io.fabric8.kubernetes.client.server.mock.CustomResourceDefinitionProcessor)
            read(dispatcher, KubernetesCrudDispatcher.class, "crdProcessor"));
    write(dispatcher, KubernetesCrudDispatcher.class, "kubernetesAttributesExtractor", extractor);
    write(
        dispatcher,
        io.fabric8.mockwebserver.crud.CrudDispatcher.class,
        "attributeExtractor",
        extractor);
  }

  /** Takes the set-based requirements out of the selector and leaves the rest to fabric8. */
  static final class Extractor extends KubernetesAttributesExtractor {
    @Override
    public AttributeSet fromPath(String path) {
      int q = path == null ? -1 : path.indexOf('?');
      if (q < 0) {
        return super.fromPath(path);
      }
      List<String> params = new ArrayList<>();
      List<Attribute> setBased = new ArrayList<>();
      for (String param : path.substring(q + 1).split("&")) {
        if (!param.startsWith(PARAM)) {
          params.add(param);
          continue;
        }
        List<String> rest = new ArrayList<>();
        for (String requirement :
            requirements(
                URLDecoder.decode(param.substring(PARAM.length()), StandardCharsets.UTF_8))) {
          Matcher m = SET_BASED.matcher(requirement);
          if (m.matches()) {
            List<String> values =
                Arrays.stream(m.group(3).split(","))
                    .map(String::trim)
                    .filter(v -> !v.isEmpty())
                    .toList();
            setBased.add(
                new Attribute(
                    LABELS + m.group(1),
                    values,
                    m.group(2).equals("in") ? AttributeType.IN : AttributeType.NOT_IN));
          } else {
            rest.add(requirement);
          }
        }
        if (!rest.isEmpty()) {
          params.add(PARAM + URLEncoder.encode(String.join(",", rest), StandardCharsets.UTF_8));
        }
      }
      String rebuilt =
          params.isEmpty()
              ? path.substring(0, q)
              : path.substring(0, q + 1) + String.join("&", params);
      return super.fromPath(rebuilt).add(setBased.toArray(Attribute[]::new));
    }

    /** Splits on commas outside parentheses. */
    static List<String> requirements(String selector) {
      List<String> out = new ArrayList<>();
      int depth = 0;
      int start = 0;
      for (int i = 0; i < selector.length(); i++) {
        char c = selector.charAt(i);
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
        } else if (c == ',' && depth == 0) {
          out.add(selector.substring(start, i).trim());
          start = i + 1;
        }
      }
      out.add(selector.substring(start).trim());
      return out.stream().filter(s -> !s.isEmpty()).toList();
    }
  }

  private static Object read(Object target, Class<?> owner, String name) {
    try {
      Field f = owner.getDeclaredField(name);
      f.setAccessible(true);
      return f.get(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "fabric8 mock server internals changed: " + owner.getName() + "." + name, e);
    }
  }

  private static void write(Object target, Class<?> owner, String name, Object value) {
    try {
      Field f = owner.getDeclaredField(name);
      f.setAccessible(true);
      f.set(target, value);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "fabric8 mock server internals changed: " + owner.getName() + "." + name, e);
    }
  }
}
