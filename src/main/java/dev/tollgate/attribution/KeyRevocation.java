package dev.tollgate.attribution;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code keys.yaml} with {@code revoked: true} set on the entries of one name, by
 * editing those entries only: the parser gives each entry's position, and the edit either turns an
 * existing {@code revoked} value to {@code true} or adds the key as the entry's first line (or
 * first member, for an entry written {@code - {name: ..., ...}}). Comments and layout are
 * untouched.
 *
 * @param edited the new text
 * @param entries how many entries carry the name (0: nothing to write)
 */
record KeyRevocation(String edited, int entries) {
  private static final YAMLFactory YAML = new YAMLFactory();

  /** One change: replace {@code [from, to)} with {@code text}. */
  private record Edit(int from, int to, String text) {}

  static KeyRevocation of(String text, String name) {
    List<Edit> edits = find(text, name);
    StringBuilder edited = new StringBuilder(text);
    for (int i = edits.size() - 1; i >= 0; i--) { // from the end: earlier offsets stay valid
      Edit e = edits.get(i);
      edited.replace(e.from(), e.to(), e.text());
    }
    return new KeyRevocation(edited.toString(), edits.size());
  }

  private static List<Edit> find(String text, String name) {
    List<Edit> edits = new ArrayList<>();
    try (JsonParser p = YAML.createParser(text)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        return edits;
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        JsonLocation start = p.currentTokenLocation();
        int at = (int) start.getCharOffset();
        boolean flow = text.charAt(at) == '{';
        String entryName = null;
        Edit revoked = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if (field.equals("name")) {
            entryName = p.getText();
          } else if (field.equals("revoked") && value.isScalarValue()) {
            int from = (int) p.currentTokenLocation().getCharOffset();
            char first = text.charAt(from);
            int length = p.getText().length() + (first == '"' || first == '\'' ? 2 : 0);
            revoked = new Edit(from, from + length, "true");
          }
          p.skipChildren();
        }
        if (name.equals(entryName)) {
          edits.add(
              revoked != null
                  ? revoked
                  : flow
                      ? new Edit(at + 1, at + 1, "revoked: true, ")
                      : new Edit(at, at, "revoked: true\n" + " ".repeat(start.getColumnNr() - 1)));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("keys file is not valid YAML: " + e.getMessage(), e);
    }
    return edits;
  }
}
