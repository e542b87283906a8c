package dev.herald.kube;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree with a stack of its own instead of the thread's: Jackson's own tree serializer
 * recurses once per level and overflows the stack of an ordinary thread well before the 10,000
 * levels the API server admits in a payload. Reading a tree is already iterative.
 */
final class JsonTreeSerializer extends StdSerializer<ObjectNode> {
  JsonTreeSerializer() {
    super(ObjectNode.class);
  }

  @Override
  public void serialize(ObjectNode root, JsonGenerator g, SerializerProvider provider)
      throws IOException {
    Deque<Iterator<?>> open = new ArrayDeque<>();
    g.writeStartObject(root);
    open.push(new ObjectChildren(root.properties().iterator()));
    while (!open.isEmpty()) {
      Iterator<?> children = open.peek();
      if (!children.hasNext()) {
        open.pop();
        if (children instanceof ObjectChildren) {
          g.writeEndObject();
        } else {
          g.writeEndArray();
        }
        continue;
      }
      Object next = children.next();
      JsonNode value;
      if (next instanceof Map.Entry<?, ?> entry) {
        g.writeFieldName((String) entry.getKey());
        value = (JsonNode) entry.getValue();
      } else {
        value = (JsonNode) next;
      }
      if (value.isObject()) {
        g.writeStartObject(value);
        open.push(new ObjectChildren(value.properties().iterator()));
      } else if (value.isArray()) {
        g.writeStartArray(value, value.size());
        open.push(value.elements());
      } else {
        // scalars (and POJO nodes) write themselves without recursing
        ((com.fasterxml.jackson.databind.node.BaseJsonNode) value).serialize(g, provider);
      }
    }
  }

  /** Marks an object's properties on the stack, so the matching end is written. */
  private record ObjectChildren(Iterator<Map.Entry<String, JsonNode>> properties)
      implements Iterator<Map.Entry<String, JsonNode>> {
    @Override
    public boolean hasNext() {
      return properties.hasNext();
    }

    @Override
    public Map.Entry<String, JsonNode> next() {
      return properties.next();
    }
  }
}
