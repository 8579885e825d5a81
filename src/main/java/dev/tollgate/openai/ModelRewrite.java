package dev.tollgate.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Replaces the top-level {@code model} of a JSON request body (a route's {@code provider/} prefix
 * removed), editing only that string's bytes: everything else reaches the upstream as written.
 */
public final class ModelRewrite {
  private static final JsonFactory JSON = new JsonFactory();

  private ModelRewrite() {}

  /** The body with its model replaced, or null when it has no top-level string model. */
  public static byte[] apply(byte[] body, String model) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("model".equals(name) && value == JsonToken.VALUE_STRING) {
          int from = (int) p.currentTokenLocation().getByteOffset();
          p.getText(); // reads the whole string, so the end offset is known
          int to = (int) p.currentLocation().getByteOffset();
          byte[] quoted =
              ("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(model)) + "\"")
                  .getBytes(StandardCharsets.UTF_8);
          ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
          out.write(body, 0, from);
          out.write(quoted, 0, quoted.length);
          out.write(body, to, body.length - to);
          return out.toByteArray();
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      // not JSON: nothing to rewrite
    }
    return null;
  }
}
