package dev.tollgate.openai;

import java.nio.ByteBuffer;

/**
 * Finds the {@code "usage":null} member that every chunk of a chat stream carries once the request
 * sets {@code stream_options.include_usage}. When Tollgate set it on the client's behalf, cutting
 * that member (with its comma) out gives the client the chunk bytes it would have had without
 * Tollgate: a client that did not ask for usage never saw the field.
 *
 * <p>Only a member of the top-level object counts: the scan follows strings and nesting, so the
 * same text inside a message's content or a nested object is never touched.
 */
public final class UsageNullMember {
  private static final byte[] KEY = {'"', 'u', 's', 'a', 'g', 'e', '"'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private UsageNullMember() {}

  /**
   * The member's range in {@code event} (from its position to its limit), as {@code from << 32 |
   * to} with both relative to the position, or -1 when the event has no top-level {@code
   * "usage":null}. The range takes one adjoining comma, so what is left is still valid JSON.
   */
  public static long find(ByteBuffer event) {
    int start = event.position();
    int limit = event.limit();
    int depth = 0;
    boolean inString = false;
    int lastComma = -1; // the top-level comma before the current member, when only spaces follow
    for (int i = start; i < limit; i++) {
      byte b = event.get(i);
      if (inString) {
        if (b == '\\') {
          i++; // whatever is escaped cannot end the string
        } else if (b == '"') {
          inString = false;
        }
        continue;
      }
      switch (b) {
        case '{', '[' -> depth++;
        case '}', ']' -> depth--;
        case ',' -> lastComma = depth == 1 ? i : -1;
        case '"' -> {
          if (depth == 1 && matches(event, i, limit, KEY)) {
            long range = member(event, i, limit, lastComma);
            if (range >= 0) {
              return range - ((long) start << 32 | start);
            }
          }
          inString = true;
        }
        default -> {
          if (!space(b)) {
            lastComma = -1;
          }
        }
      }
    }
    return -1;
  }

  /** The range of {@code "usage" : null} starting at {@code key}, with a comma, or -1. */
  private static long member(ByteBuffer event, int key, int limit, int commaBefore) {
    int i = skipSpaces(event, key + KEY.length, limit);
    if (i >= limit || event.get(i) != ':') {
      return -1;
    }
    i = skipSpaces(event, i + 1, limit);
    if (!matches(event, i, limit, NULL)) {
      return -1;
    }
    int end = i + NULL.length;
    if (end < limit && Character.isLetterOrDigit(event.get(end))) {
      return -1; // nullish: not the literal null
    }
    int after = skipSpaces(event, end, limit);
    if (commaBefore >= 0) {
      return (long) commaBefore << 32 | end; // ...,"usage":null} or ...,"usage":null,...
    }
    if (after < limit && event.get(after) == ',') {
      int next = skipSpaces(event, after + 1, limit);
      return (long) key << 32 | next; // {"usage":null,...
    }
    return -1; // the only member: leave {"usage":null} as it is
  }

  private static boolean matches(ByteBuffer event, int at, int limit, byte[] text) {
    if (at + text.length > limit) {
      return false;
    }
    for (int k = 0; k < text.length; k++) {
      if (event.get(at + k) != text[k]) {
        return false;
      }
    }
    return true;
  }

  private static int skipSpaces(ByteBuffer event, int i, int limit) {
    while (i < limit && space(event.get(i))) {
      i++;
    }
    return i;
  }

  private static boolean space(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
