package dev.tollgate.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Consumes the JSON tokens of a response body, or of each SSE event's data in turn (a sequence of
 * root values), and keeps only what pricing needs. It tracks the field path instead of building
 * trees; only the small {@code usage} object is captured whole.
 *
 * <p>Paths it reads, for Chat Completions and chunks, legacy completions and embeddings: {@code
 * model}, {@code service_tier}, {@code usage}, {@code choices[]} (emptiness, text), {@code
 * error.message}; for Responses bodies and stream events: {@code type}, {@code delta}, {@code
 * message}, {@code response.{id,status,model,service_tier,usage,output[].type,error.message}}.
 */
public final class UsageCollector {
  private static final String ARRAY = JsonPosition.ARRAY;

  private final JsonPosition pos = new JsonPosition();

  private TreeCapture capture;
  private boolean capturingMessageUsage; // Anthropic's message_start: message.usage
  private boolean capturingGemini;
  private final NativeUsage nativeUsage = new NativeUsage();
  private int choicesDepth = -1;
  private int choicesCount;

  // Per root value (one SSE event, or the whole JSON body).
  private String eventType;
  private boolean eventChoicesEmpty;
  private boolean eventUsage;
  private boolean eventOutputSeen;
  private final Map<String, Long> eventTools = new HashMap<>();
  private boolean lastRootUsageOnly;

  // Accumulated across the whole response.
  private String model;
  private String serviceTier;
  private JsonNode usage;
  private String usageWrongType; // a usage member that was not an object: field=value, or null
  // Gemini reports usageMetadata in every chunk of a stream, complete only in the last one (the
  // one with a finishReason): a stream cut before it is estimated, not priced from a partial count.
  private boolean geminiUsage;
  private boolean geminiFinished;
  private Map<String, Long> toolCalls = Map.of();
  private String responseId;
  private String responseStatus;
  private String messageId;
  // Each reason once, in order; at most 8, so a list searched is cheaper than a set's table.
  private final java.util.List<String> finishReasons = new java.util.ArrayList<>(2);
  private String error;
  private final OutputText text = new OutputText();

  /** Feeds one token; the parser is positioned on it. */
  public void token(JsonToken t, JsonParser p) throws IOException {
    if (capture != null && capture.token(t, p)) {
      if (capturingMessageUsage) {
        nativeUsage.messageStart(capture.root());
      } else {
        usage = capture.root();
        geminiUsage = capturingGemini;
        usageWrongType = null;
        eventUsage = true;
        nativeUsage.usageRead(eventType);
      }
      capture = null;
    }
    if (t.isScalarValue() && t != JsonToken.VALUE_NULL && capture == null && atUsage()) {
      wrongUsage(p.getText());
    }
    switch (t) {
      case FIELD_NAME -> pos.field = p.currentName();
      case START_OBJECT, START_ARRAY -> open(t, p);
      case END_OBJECT, END_ARRAY -> close(t);
      case VALUE_STRING -> string(p);
      default -> countChoice();
    }
  }

  /**
   * Forgets a root value the parser gave up on halfway (an SSE event that was not strict JSON), so
   * the next event is read from a clean state; what earlier events said is kept.
   */
  public void abandonRoot() {
    pos.reset();
    capture = null;
    choicesDepth = -1;
    choicesCount = 0;
    lastRootUsageOnly = false;
    startRoot();
  }

  /** True when the root value just completed was a chat chunk with usage and no choices. */
  public boolean lastRootWasUsageOnlyChunk() {
    return lastRootUsageOnly;
  }

  public ResponseFacts facts() {
    return facts(false);
  }

  /**
   * @param stream the body was a stream (SSE, or a JSON array of chunks): Gemini's usage then
   *     counts only once its last chunk, the one with a finishReason, was read
   */
  public ResponseFacts facts(boolean stream) {
    JsonNode whole = stream && geminiUsage && !geminiFinished ? null : usage;
    UsageParser.Reading reading =
        usageWrongType != null
            ? new UsageParser.Reading(null, usageWrongType)
            : UsageParser.read(nativeUsage.usage(whole));
    return new ResponseFacts(
        model,
        serviceTier,
        reading.usage(),
        reading.invalid(),
        nativeUsage.tools(toolCalls),
        responseId,
        responseStatus,
        error,
        text.text(),
        text.overflow(),
        messageId,
        finishReasons.isEmpty() && ResponseStatus.terminal(responseStatus)
            ? java.util.List.of(responseStatus)
            : java.util.List.copyOf(finishReasons));
  }

  private void open(JsonToken t, JsonParser p) throws IOException {
    countChoice();
    if (pos.depth == 0) {
      startRoot();
    }
    if (t == JsonToken.START_OBJECT
        && capture == null
        && (pos.at1("usage")
            || pos.at1("usageMetadata")
            || pos.at2("response", "usage")
            || pos.at2("message", "usage"))) {
      capture = new TreeCapture();
      capturingMessageUsage = pos.at2("message", "usage");
      capturingGemini = pos.at1("usageMetadata");
    }
    if (t == JsonToken.START_ARRAY && capture == null && atUsage()) {
      wrongUsage("[...]");
    }
    if (t == JsonToken.START_OBJECT && pos.at3("candidates", ARRAY, "groundingMetadata")) {
      nativeUsage.grounded();
    }
    if (t == JsonToken.START_ARRAY && pos.at1("choices")) {
      choicesDepth = pos.depth + 1;
      choicesCount = 0;
    }
    pos.open(t);
  }

  private void close(JsonToken t) {
    if (t == JsonToken.END_ARRAY && pos.depth == choicesDepth) {
      eventChoicesEmpty = choicesCount == 0;
      choicesDepth = -1;
    }
    if (pos.close()) {
      endRoot();
    }
  }

  private void countChoice() {
    if (choicesDepth >= 0 && pos.depth == choicesDepth) {
      choicesCount++;
    }
  }

  /**
   * A string value: made a {@code String} only at the paths read (a response's other strings, its
   * role, object and fingerprint, are not), and its output text copied from the parser's own
   * characters.
   */
  private void string(JsonParser p) throws IOException {
    countChoice();
    if (pos.depth == 1) {
      switch (pos.key()) {
        case "model", "modelVersion" -> model = p.getText();
        case "service_tier" -> serviceTier = p.getText();
        case "type" -> eventType = p.getText();
        case "id", "responseId" -> {
          String value = p.getText();
          if (value.startsWith("resp_")) responseId = value;
          if (messageId == null) messageId = value;
        }
        case "stop_reason" -> finished(p.getText());
        case "status" -> {
          if (responseId != null) responseStatus = p.getText();
        }
        case "delta" -> text.append(p);
        case "message" -> {
          if ("error".equals(eventType)) error = p.getText();
        }
        default -> {}
      }
      return;
    }
    if (pos.at2("response", "model") || pos.at2("message", "model")) {
      model = p.getText();
    } else if (pos.at2("response", "service_tier")) {
      serviceTier = p.getText();
    } else if (pos.at2("response", "id")) {
      responseId = p.getText();
      messageId = responseId;
    } else if (pos.at2("message", "id") && messageId == null) {
      messageId = p.getText(); // Anthropic's message_start
    } else if (pos.at3("choices", ARRAY, "finish_reason") || pos.at2("delta", "stop_reason")) {
      finished(p.getText());
    } else if (pos.at2("response", "status")) {
      responseStatus = p.getText();
    } else if (pos.at2("error", "message") || pos.at3("response", "error", "message")) {
      error = p.getText();
    } else if (pos.at3("output", ARRAY, "type") || pos.at4("response", "output", ARRAY, "type")) {
      eventOutputSeen = true;
      String value = p.getText();
      if (value.endsWith("_call")) {
        eventTools.merge(value.substring(0, value.length() - 5), 1L, Long::sum);
      }
    } else if (pos.at3("candidates", ARRAY, "finishReason")) {
      geminiFinished = true;
      finished(p.getText());
    } else if (TextPaths.isOutputText(pos.names, pos.depth, pos.key())) {
      text.append(p);
    }
  }

  private void finished(String reason) {
    String kept = reason.length() <= 64 ? reason : reason.substring(0, 64);
    if (finishReasons.size() < ResponseFacts.MAX_FINISH_REASONS && !finishReasons.contains(kept)) {
      finishReasons.add(kept);
    }
  }

  private void startRoot() {
    eventType = null;
    eventChoicesEmpty = false;
    eventUsage = false;
    eventOutputSeen = false;
    eventTools.clear();
  }

  private void endRoot() {
    lastRootUsageOnly = eventChoicesEmpty && eventUsage;
    // Tool calls are counted from a whole response's output: the body itself, or a terminal
    // stream event (response.completed / incomplete / failed / cancelled), never from partial
    // events.
    boolean terminal = eventType == null || ResponseStatus.terminalEvent(eventType);
    if (eventOutputSeen && terminal) {
      toolCalls = Map.copyOf(eventTools);
    }
  }

  /** Where a usage object is read from (see {@link #open}). */
  private boolean atUsage() {
    return pos.at1("usage")
        || pos.at1("usageMetadata")
        || pos.at2("response", "usage")
        || pos.at2("message", "usage");
  }

  /**
   * A usage member that is not an object: the counts cannot be believed (nor taken as zero), so the
   * call is flagged {@code usage_invalid} and estimated.
   */
  private void wrongUsage(String value) {
    usage = null;
    usageWrongType =
        pos.key() + "=" + (value.length() <= 40 ? value : value.substring(0, 40) + "...");
  }
}
