package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The captured tree equals what readTree builds, node types included, fed whole or byte by byte.
 */
class TreeCaptureTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory JSON = new JsonFactory();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"prompt_tokens\":1117,\"completion_tokens\":46,\"total_tokens\":1163,\"prompt_tokens_details\":"
            + "{\"cached_tokens\":1024,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,"
            + "\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}",
        "{\"input_tokens\":5000000000,\"output_tokens\":12345678901234567890123,\"cost\":0.00123,\"ratio\":-1.5e-7}",
        "{\"a\":[1,[2,{\"b\":null}],[],{}],\"t\":true,\"f\":false,\"s\":\"h\\u00e9\\\"llo\",\"n\":null}",
        "{\"dup\":1,\"dup\":2,\"nested\":{\"dup\":{\"x\":1},\"dup\":[3]}}",
        "{\"server_tool_use\":{\"web_search_requests\":2},\"cache_creation\":{\"ephemeral_1h_input_tokens\":10}}"
      })
  void buildsWhatReadTreeBuilds(String json) throws Exception {
    JsonNode expected = MAPPER.readTree(json);
    assertThat(captureWhole(json)).isEqualTo(expected);
    assertThat(captureByteByByte(json)).isEqualTo(expected);
  }

  private static JsonNode captureWhole(String json) throws Exception {
    try (JsonParser p = JSON.createParser(json)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      TreeCapture capture = new TreeCapture();
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (capture.token(t, p)) {
          return capture.root();
        }
      }
      throw new AssertionError("object never ended");
    }
  }

  private static JsonNode captureByteByByte(String json) throws Exception {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    try (JsonParser p = JSON.createNonBlockingByteArrayParser()) {
      ByteArrayFeeder feeder = (ByteArrayFeeder) p.getNonBlockingInputFeeder();
      TreeCapture capture = null;
      for (int i = 0; i < bytes.length; i++) {
        feeder.feedInput(bytes, i, i + 1);
        if (i == bytes.length - 1) {
          feeder.endOfInput();
        }
        JsonToken t;
        while ((t = p.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
          if (capture == null) {
            assertThat(t).isEqualTo(JsonToken.START_OBJECT);
            capture = new TreeCapture();
          } else if (capture.token(t, p)) {
            return capture.root();
          }
        }
      }
      throw new AssertionError("object never ended");
    }
  }
}
