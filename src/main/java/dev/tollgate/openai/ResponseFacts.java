package dev.tollgate.openai;

import dev.tollgate.call.Usage;
import java.util.Map;

/**
 * What a response said about its own cost, read from its JSON body or its stream.
 *
 * @param model the served model, or null when the response did not name one
 * @param serviceTier the tier that served the call, or null
 * @param usage token counts, or null when the response carried none (or none to believe)
 * @param usageInvalid the first count that was not a sane token count, as {@code field=value}, or
 *     null; the call is then estimated
 * @param toolCalls built-in tool calls by kind ({@code web_search}, {@code file_search}, ...)
 * @param responseId the Responses API id, for billing each response once
 * @param responseStatus the Responses API status ({@code completed}, {@code incomplete}, ...)
 * @param error the message of an error reported inside the body or stream, or null
 * @param outputText text the model produced, for estimating tokens when usage is missing
 * @param outputTextOverflow characters of output text beyond what was kept
 * @param messageId the response's own id, whatever the API ({@code chatcmpl-…}, {@code resp_…},
 *     {@code msg_…}, Gemini's {@code responseId}), or null
 * @param finishReasons why the model stopped ({@code stop}, {@code length}, {@code end_turn},
 *     {@code STOP}, or a Responses status), each once, at most {@value #MAX_FINISH_REASONS}
 */
public record ResponseFacts(
    String model,
    String serviceTier,
    Usage usage,
    String usageInvalid,
    Map<String, Long> toolCalls,
    String responseId,
    String responseStatus,
    String error,
    String outputText,
    long outputTextOverflow,
    String messageId,
    java.util.List<String> finishReasons) {

  public static final int MAX_FINISH_REASONS = 8;

  public static final ResponseFacts NONE =
      new ResponseFacts(
          null, null, null, null, Map.of(), null, null, null, "", 0, null, java.util.List.of());

  public ResponseFacts {
    toolCalls = Map.copyOf(toolCalls);
    finishReasons = java.util.List.copyOf(finishReasons);
  }

  /** What a socket's turn said, as far as tokens and text go (no id or finish reasons read). */
  public static ResponseFacts ofTurn(String usageInvalid, String outputText, long overflow) {
    return new ResponseFacts(
        null,
        null,
        null,
        usageInvalid,
        Map.of(),
        null,
        null,
        null,
        outputText,
        overflow,
        null,
        java.util.List.of());
  }
}
