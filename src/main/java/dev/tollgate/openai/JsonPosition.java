package dev.tollgate.openai;

import com.fasterxml.jackson.core.JsonToken;
import java.util.Arrays;

/**
 * Where a streaming JSON reader stands: the keys from the root down to the value being read, kept
 * as the tokens pass, so a reader can ask "am I at {@code response.usage}?" without building trees.
 */
final class JsonPosition {
  static final String ARRAY = "[]";
  private static final int MAX_DEPTH = 64;

  // names[d] is the key under which the container at depth d+1 sits ("[]" inside an array).
  // Sized for the bodies OpenAI writes (usage sits at depth 2 or 3) and grown up to MAX_DEPTH for
  // deeper ones: made per response, so 64 slots up front were a third of a kilobyte per call.
  String[] names = new String[8];
  private boolean[] inArray = new boolean[names.length + 1];
  int depth;
  String field;

  /** Forgets everything: the next token starts a root value. */
  void reset() {
    depth = 0;
    field = null;
  }

  /** A container opens at the current key. */
  void open(JsonToken t) {
    if (depth + 1 > names.length && names.length < MAX_DEPTH) {
      int size = Math.min(Math.max(names.length * 2, depth + 1), MAX_DEPTH);
      names = Arrays.copyOf(names, size);
      inArray = Arrays.copyOf(inArray, size + 1);
    }
    if (depth > 0 && depth < MAX_DEPTH) {
      names[depth - 1] = key();
    }
    depth++;
    inArray[Math.min(depth, MAX_DEPTH)] = t == JsonToken.START_ARRAY;
    field = null;
  }

  /** A container closes; true when that ended a root value. */
  boolean close() {
    depth--;
    field = null;
    return depth == 0;
  }

  /** The key of the value now being read: a field name, or "[]" inside an array. */
  String key() {
    return inArray[Math.min(depth, MAX_DEPTH)] ? ARRAY : field == null ? "" : field;
  }

  boolean at1(String a) {
    return depth == 1 && a.equals(key());
  }

  boolean at2(String a, String b) {
    return depth == 2 && a.equals(names[0]) && b.equals(key());
  }

  boolean at3(String a, String b, String c) {
    return depth == 3 && a.equals(names[0]) && b.equals(names[1]) && c.equals(key());
  }

  boolean at4(String a, String b, String c, String d) {
    return depth == 4
        && a.equals(names[0])
        && b.equals(names[1])
        && c.equals(names[2])
        && d.equals(key());
  }
}
