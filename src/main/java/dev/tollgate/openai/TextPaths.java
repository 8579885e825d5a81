package dev.tollgate.openai;

/**
 * Where a response's output text sits, in each API's bodies and stream events: kept so that a call
 * whose usage never came (a cut stream) is estimated from what was relayed.
 */
final class TextPaths {
  private static final String ARRAY = "[]";
  // Constants, not varargs at each call: this runs for every string value of every response.
  private static final String[] RESPONSES = {"output", ARRAY, "content", ARRAY, "text"};
  private static final String[] ANTHROPIC_DELTA = {"delta", "text"};
  private static final String[] ANTHROPIC_CONTENT = {"content", ARRAY, "text"};
  private static final String[] GEMINI = {"candidates", ARRAY, "content", "parts", ARRAY, "text"};

  private TextPaths() {}

  /**
   * @param names the keys of the containers the value sits in, outermost first ({@code "[]"} for an
   *     array's element)
   * @param depth how deep the value sits (1: a member of the root object)
   * @param key the value's own key
   */
  static boolean isOutputText(String[] names, int depth, String key) {
    return isChoiceText(names, depth, key)
        // Responses: output[].content[].text
        || is(names, depth, key, RESPONSES)
        // Anthropic: a stream's delta.text, a body's content[].text
        || is(names, depth, key, ANTHROPIC_DELTA)
        || is(names, depth, key, ANTHROPIC_CONTENT)
        // Gemini: candidates[].content.parts[].text
        || is(names, depth, key, GEMINI);
  }

  private static boolean isChoiceText(String[] names, int depth, String k) {
    if (depth < 3 || !"choices".equals(names[0]) || !ARRAY.equals(names[1])) {
      return false;
    }
    // choices[].text (legacy), choices[].message|delta.content / reasoning_content / refusal,
    // and tool-call arguments, which are output tokens too.
    return (depth == 3 && k.equals("text"))
        || (depth == 4
            && (k.equals("content") || k.equals("reasoning_content") || k.equals("refusal")))
        || k.equals("arguments");
  }

  /** The value is at {@code path}: its containers' keys, then its own. */
  private static boolean is(String[] names, int depth, String key, String[] path) {
    if (depth != path.length || !path[path.length - 1].equals(key)) {
      return false;
    }
    for (int i = 0; i < path.length - 1; i++) {
      if (!path[i].equals(names[i])) {
        return false;
      }
    }
    return true;
  }
}
