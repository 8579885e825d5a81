package dev.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * What the providers' native APIs report apart from the OpenAI shapes, gathered while a response is
 * read: Anthropic's stream usage in two parts, and Gemini's grounding.
 */
final class NativeUsage {
  // Anthropic streams report usage twice: message_start's message.usage (input, cache reads and
  // writes, output so far) and message_delta's cumulative usage (output; newer versions repeat
  // the rest). A stream that ends before any message_delta never said what it cost.
  private JsonNode messageStartUsage;
  private boolean messageDeltaUsage;
  private boolean grounded;

  void messageStart(JsonNode usage) {
    messageStartUsage = usage;
  }

  /** A root {@code usage} was read in an event of {@code eventType}. */
  void usageRead(String eventType) {
    messageDeltaUsage |= "message_delta".equals(eventType);
  }

  /** Gemini answered with Google Search grounding: billed per request. */
  void grounded() {
    grounded = true;
  }

  /**
   * The usage to read: as sent, except for an Anthropic stream, where message_start's counts are
   * completed by message_delta's (the later wins), and a stream cut before any message_delta has
   * none (the call is then estimated, not priced at one output token).
   */
  JsonNode usage(JsonNode usage) {
    if (messageStartUsage == null) {
      return usage;
    }
    if (!messageDeltaUsage || !(messageStartUsage instanceof ObjectNode start)) {
      return null;
    }
    ObjectNode merged = start.deepCopy();
    if (usage instanceof ObjectNode delta) {
      merged.setAll(delta);
    }
    return merged;
  }

  Map<String, Long> tools(Map<String, Long> tools) {
    if (!grounded) {
      return tools;
    }
    Map<String, Long> out = new HashMap<>(tools);
    out.merge("google_search", 1L, Long::sum);
    return Map.copyOf(out);
  }
}
