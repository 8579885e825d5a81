package dev.tollgate.metering;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.tollgate.call.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Estimates tokens when a response reported no usage (a cut stream, a provider that sends none),
 * with the o200k tokenizer of current OpenAI models: the request's text fields for input, the text
 * streamed so far for output. An estimate, and recorded as one.
 */
public final class TokenEstimator {
  private static final JsonFactory JSON = new JsonFactory();
  // Fields that name things rather than carry prompt text.
  private static final Set<String> NOT_TEXT =
      Set.of(
          "model",
          "role",
          "type",
          "service_tier",
          "user",
          "id",
          "name",
          "tool_choice",
          "response_format",
          "safety_identifier",
          "prompt_cache_key",
          "reasoning_effort",
          "encoding_format");
  private static final int CHARS_PER_TOKEN = 4;

  // Loaded on first use: the vocabulary takes a moment, and most deployments never need it.
  private static final class Vocabulary {
    static final Encoding O200K =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  public Usage estimate(InputStream requestBody, String outputText, long outputOverflowChars) {
    long input = countRequestText(requestBody);
    long output =
        Vocabulary.O200K.countTokensOrdinary(outputText) + outputOverflowChars / CHARS_PER_TOKEN;
    return Usage.of(input, output);
  }

  private long countRequestText(InputStream body) {
    long tokens = 0;
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.VALUE_STRING && !NOT_TEXT.contains(String.valueOf(p.currentName()))) {
          tokens += Vocabulary.O200K.countTokensOrdinary(p.getText());
        }
      }
    } catch (IOException e) {
      // A body that is not JSON (multipart audio, say): count what was read.
    }
    return tokens;
  }
}
