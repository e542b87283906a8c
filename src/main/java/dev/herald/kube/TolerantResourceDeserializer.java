package dev.herald.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Reads one of Herald's custom resources so that a spec or status that cannot be bound (a number
 * the schema admits but a Java field cannot hold, a type the schema should have refused, a value a
 * setter rejects) costs that object only: the object is returned with its metadata and marked
 * {@link Unreadable}, and the parser is moved past the bad value, so the list or watch it came in
 * goes on. Metadata that cannot be read still fails: such an object cannot even be named.
 */
final class TolerantResourceDeserializer<S, T, R extends CustomResource<S, T>>
    extends StdDeserializer<R> {
  private final transient Supplier<R> factory;
  private final Class<S> specType;
  private final Class<T> statusType;

  TolerantResourceDeserializer(
      Class<R> type, Supplier<R> factory, Class<S> specType, Class<T> statusType) {
    super(type);
    this.factory = factory;
    this.specType = specType;
    this.statusType = statusType;
  }

  @Override
  public R deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      @SuppressWarnings("unchecked")
      R unexpected = (R) ctxt.handleUnexpectedToken(handledType(), p);
      return unexpected;
    }
    R resource = factory.get();
    StringBuilder problems = new StringBuilder();
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      int depth = p.getParsingContext().getNestingDepth();
      p.nextToken();
      switch (field) {
        case "apiVersion" -> resource.setApiVersion(p.getValueAsString());
        case "kind" -> resource.setKind(p.getValueAsString());
        case "metadata" -> resource.setMetadata(ctxt.readValue(p, ObjectMeta.class));
        case "spec", "status" -> {
          try {
            boolean isNull = p.currentToken() == JsonToken.VALUE_NULL;
            if (field.equals("spec")) {
              resource.setSpec(isNull ? null : ctxt.readValue(p, specType));
            } else {
              resource.setStatus(isNull ? null : ctxt.readValue(p, statusType));
            }
          } catch (DatabindException | InputCoercionException | RuntimeException e) {
            skipToEndOfValue(p, depth);
            problems
                .append(problems.length() == 0 ? "" : "; ")
                .append(field)
                .append(": ")
                .append(Unreadable.describe(e));
          }
        }
        default -> p.skipChildren();
      }
    }
    if (problems.length() > 0) {
      if (resource.getMetadata() == null) {
        throw ctxt.weirdStringException(
            "",
            handledType(),
            "unreadable " + handledType().getSimpleName() + " without metadata: " + problems);
      }
      resource.setSpec(null);
      resource.setStatus(null);
      Unreadable.mark(resource, problems.toString());
    }
    return resource;
  }

  /**
   * After a failure somewhere inside a field's value: moves on, one token at a time (no recursion,
   * however deep the value), to the value's last token.
   */
  private static void skipToEndOfValue(JsonParser p, int fieldDepth) throws IOException {
    while (p.getParsingContext().getNestingDepth() > fieldDepth) {
      if (p.nextToken() == null) {
        return;
      }
    }
  }
}
