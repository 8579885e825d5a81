package dev.tollgate.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Makes a streamed Chat Completions request ask for usage. Without {@code
 * stream_options.include_usage} the upstream never reports what a stream cost; with it, one extra
 * usage-only chunk arrives, which the proxy then removes so the client sees what it asked for.
 *
 * <p>The body is edited in place at the byte level (an insertion or one replaced token), so
 * everything else the client sent reaches the upstream exactly as written.
 */
public final class StreamUsageInjection {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] INCLUDE =
      "\"include_usage\":true".getBytes(StandardCharsets.US_ASCII);

  /**
   * @param body the rewritten body, or the original when nothing changed
   * @param injected true when Tollgate added the request for usage (and must hide the usage chunk)
   */
  public record Result(byte[] body, boolean injected) {}

  private StreamUsageInjection() {}

  /** Rewrites {@code body} if it is a streamed request that does not already ask for usage. */
  public static Result apply(byte[] body) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new Result(body, false);
      }
      boolean stream = false;
      long optionsStart = -1; // offset of stream_options' value token
      JsonToken optionsToken = null;
      long includeStart = -1;
      long includeEnd = -1;
      Boolean include = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("stream".equals(name)) {
          stream = value == JsonToken.VALUE_TRUE;
        } else if ("stream_options".equals(name)) {
          optionsToken = value;
          optionsStart = p.currentTokenLocation().getByteOffset();
          if (value == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String option = p.currentName();
              JsonToken v = p.nextToken();
              if ("include_usage".equals(option)) {
                include = v == JsonToken.VALUE_TRUE;
                includeStart = p.currentTokenLocation().getByteOffset();
                includeEnd = p.currentLocation().getByteOffset();
              } else {
                p.skipChildren();
              }
            }
          }
          continue;
        }
        p.skipChildren();
      }
      if (t != JsonToken.END_OBJECT) {
        return new Result(body, false);
      }
      long rootEnd = p.currentTokenLocation().getByteOffset();
      if (!stream || Boolean.TRUE.equals(include)) {
        return new Result(body, false);
      }
      if (include != null) {
        return new Result(
            splice(body, includeStart, includeEnd, "true".getBytes(StandardCharsets.US_ASCII)),
            true);
      }
      if (optionsToken == JsonToken.START_OBJECT) {
        boolean empty = nextNonSpace(body, (int) optionsStart + 1) == '}';
        byte[] insert = empty ? INCLUDE : concat(INCLUDE, new byte[] {','});
        return new Result(splice(body, optionsStart + 1, optionsStart + 1, insert), true);
      }
      if (optionsToken == JsonToken.VALUE_NULL) {
        byte[] object =
            ("{" + new String(INCLUDE, StandardCharsets.US_ASCII) + "}")
                .getBytes(StandardCharsets.US_ASCII);
        return new Result(splice(body, optionsStart, optionsStart + 4, object), true);
      }
      if (optionsToken != null) {
        return new Result(body, false); // a malformed stream_options: the upstream will say so
      }
      byte[] member =
          (",\"stream_options\":{" + new String(INCLUDE, StandardCharsets.US_ASCII) + "}")
              .getBytes(StandardCharsets.US_ASCII);
      return new Result(splice(body, rootEnd, rootEnd, member), true);
    } catch (IOException e) {
      return new Result(body, false); // not JSON: forward untouched, the upstream answers it
    }
  }

  private static int nextNonSpace(byte[] body, int from) {
    for (int i = from; i < body.length; i++) {
      if (body[i] != ' ' && body[i] != '\n' && body[i] != '\r' && body[i] != '\t') {
        return body[i];
      }
    }
    return -1;
  }

  private static byte[] splice(byte[] body, long from, long to, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + insert.length);
    out.write(body, 0, (int) from);
    out.write(insert, 0, insert.length);
    out.write(body, (int) to, body.length - (int) to);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
