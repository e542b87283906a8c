package dev.herald.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.util.List;

/**
 * The API server's managedFields of Herald's deliveries and events, read past rather than bound:
 * Herald never uses them, and binding them (a map tree per field the object has, the payload's
 * included) was about a third of Jackson's work on every watch event, patch answer and clone. All
 * that is kept is their size in bytes, for {@link StatusWrites#overLimit}: a placeholder entry that
 * carries it, and that survives JOSDK's clone (written and read back as JSON) unchanged.
 *
 * <p>The placeholder never reaches the API server: Herald writes deliveries and events only as new
 * objects or as patches of named fields, never with metadata it read.
 */
public final class ManagedFieldsSize {
  /** Not a manager name the API server writes (parentheses); marks the placeholder entry. */
  static final String PLACEHOLDER = "herald.dev/(not read)";

  /** The placeholder's one extra field: the bytes of the entries it stands for. */
  static final String BYTES = "heraldBytes";

  private static final ObjectReader METADATA =
      new ObjectMapper()
          .addMixIn(ObjectMeta.class, SkippedManagedFields.class)
          .readerFor(ObjectMeta.class);

  private ManagedFieldsSize() {}

  /** Reads an object's metadata from {@code p}, its managedFields as a placeholder. */
  static ObjectMeta readMetadata(JsonParser p) throws IOException {
    return METADATA.readValue(p);
  }

  /**
   * The bytes of managedFields (compact JSON) that {@code metadata} stands for but does not hold; 0
   * when it was read in full or has none.
   */
  public static long notHeld(ObjectMeta metadata) {
    List<ManagedFieldsEntry> entries = metadata == null ? null : metadata.getManagedFields();
    if (entries == null || entries.size() != 1) {
      return 0;
    }
    ManagedFieldsEntry only = entries.get(0);
    return PLACEHOLDER.equals(only.getManager())
            && only.getAdditionalProperties().get(BYTES) instanceof Number bytes
        ? bytes.longValue()
        : 0;
  }

  static ManagedFieldsEntry placeholder(long bytes) {
    ManagedFieldsEntry entry = new ManagedFieldsEntry();
    entry.setManager(PLACEHOLDER);
    entry.setAdditionalProperty(BYTES, bytes);
    return entry;
  }

  /** The mix-in that routes ObjectMeta's managedFields through {@link Skipper}. */
  abstract static class SkippedManagedFields {
    @JsonDeserialize(using = Skipper.class)
    List<ManagedFieldsEntry> managedFields;
  }

  /**
   * Walks the entries token by token (no recursion, however deep a payload's fields are listed),
   * adding up the bytes of their compact JSON; a placeholder read back keeps the size it carries.
   */
  static final class Skipper extends StdDeserializer<List<ManagedFieldsEntry>> {
    Skipper() {
      super(List.class);
    }

    @Override
    public List<ManagedFieldsEntry> deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      long bytes = 0;
      long carried = -1;
      boolean carriedNext = false;
      int depth = 0;
      // every value counts the colon or comma before it, every name a comma: a byte too many at
      // the start of each object or array, never one too few
      for (JsonToken token = p.currentToken(); token != null; token = p.nextToken()) {
        switch (token) {
          case START_ARRAY, START_OBJECT -> {
            depth++;
            bytes += 2; // the bracket and the comma or colon before it
          }
          case END_ARRAY, END_OBJECT -> {
            depth--;
            bytes += 1;
          }
          case FIELD_NAME -> bytes += jsonStringBytes(p.currentName()) + 1; // and a comma
          case VALUE_STRING -> bytes += jsonStringBytes(p.getText()) + 1;
          default -> {
            if (carriedNext && token == JsonToken.VALUE_NUMBER_INT) {
              carried = p.getLongValue();
            }
            bytes += p.getTextLength() + 1;
          }
        }
        carriedNext = token == JsonToken.FIELD_NAME && depth == 2 && BYTES.equals(p.currentName());
        if (depth == 0) {
          break;
        }
      }
      return List.of(placeholder(carried >= 0 ? carried : bytes));
    }
  }

  /** The bytes of {@code s} as a JSON string in UTF-8, quotes and escapes included. */
  static long jsonStringBytes(String s) {
    long bytes = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        bytes += 2;
      } else if (c < 0x20) {
        bytes += 6;
      } else if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
