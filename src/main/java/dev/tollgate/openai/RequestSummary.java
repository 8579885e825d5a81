package dev.tollgate.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;

/**
 * The few top-level fields of a JSON request body Tollgate needs before the response: the model,
 * whether a stream was asked for, and the service tier. Reads tokens and skips nested values, so a
 * large prompt costs a scan, not a tree.
 *
 * @param model the {@code model} field, or null when absent or the body is not JSON
 * @param stream the {@code stream} field, false when absent
 * @param serviceTier the {@code service_tier} asked for, or null
 * @param user the end user: {@code user}, or else {@code safety_identifier}; null when neither
 * @param maxOutputTokens the output cap asked for ({@code max_tokens}, {@code
 *     max_completion_tokens} or {@code max_output_tokens}), or -1 when none (or not a number)
 * @param cacheRetention the {@code prompt_cache_retention} asked for, or null
 */
public record RequestSummary(
    String model,
    boolean stream,
    String serviceTier,
    String user,
    long maxOutputTokens,
    String cacheRetention) {
  public static final RequestSummary EMPTY = new RequestSummary(null, false, null, null, -1, null);

  /** A summary that asks for no particular cache retention. */
  public RequestSummary(
      String model, boolean stream, String serviceTier, String user, long maxOutputTokens) {
    this(model, stream, serviceTier, user, maxOutputTokens, null);
  }

  /** With another model (a provider's path names it, or a deployment stands for it). */
  public RequestSummary withModel(String other, boolean streamed) {
    return new RequestSummary(other, streamed, serviceTier, user, maxOutputTokens, cacheRetention);
  }

  private static final JsonFactory JSON = new JsonFactory();

  /** Never throws: a body that is not a JSON object yields {@link #EMPTY} fields read so far. */
  public static RequestSummary read(InputStream body) {
    String model = null;
    boolean stream = false;
    String tier = null;
    String user = null;
    String safetyIdentifier = null;
    long maxOutput = -1;
    String retention = null;
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return EMPTY;
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("model".equals(name) && value == JsonToken.VALUE_STRING) {
          model = p.getText();
        } else if ("stream".equals(name)) {
          stream = value == JsonToken.VALUE_TRUE;
        } else if ("service_tier".equals(name) && value == JsonToken.VALUE_STRING) {
          tier = p.getText();
        } else if ("user".equals(name) && value == JsonToken.VALUE_STRING) {
          user = p.getText();
        } else if ("prompt_cache_retention".equals(name) && value == JsonToken.VALUE_STRING) {
          retention = p.getText();
        } else if ("safety_identifier".equals(name) && value == JsonToken.VALUE_STRING) {
          safetyIdentifier = p.getText();
        } else if (value == JsonToken.VALUE_NUMBER_INT
            && ("max_tokens".equals(name)
                || "max_completion_tokens".equals(name)
                || "max_output_tokens".equals(name))) {
          // Hostile values (huge, negative) are clamped where they are used, never trusted here.
          maxOutput =
              Math.max(
                  maxOutput,
                  p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                      ? Long.MAX_VALUE
                      : p.getLongValue());
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      // Not our business to reject a malformed body: the upstream answers it. Keep what we read.
    }
    return new RequestSummary(
        model, stream, tier, user != null ? user : safetyIdentifier, maxOutput, retention);
  }
}
