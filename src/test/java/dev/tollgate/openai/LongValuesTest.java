package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A response with one string longer than Jackson's default limit (20M chars) keeps its usage. */
class LongValuesTest {
  @Test
  void aStringPastJacksonsDefaultLimitDoesNotCostTheCallItsUsage() {
    String huge = "A".repeat(25_000_000); // a large base64 image, say
    byte[] body =
        ("{\"id\":\"x\",\"model\":\"gpt-image-1\",\"data\":[{\"b64_json\":\""
                + huge
                + "\"}],\"usage\":{\"input_tokens\":50,\"output_tokens\":4160}}")
            .getBytes(StandardCharsets.US_ASCII);
    ResponseReader reader = ResponseReader.json();
    for (int at = 0; at < body.length; at += 1 << 20) {
      reader.feed(ByteBuffer.wrap(body, at, Math.min(1 << 20, body.length - at)));
    }
    assertThat(reader.failed()).isFalse();
    ResponseFacts facts = reader.facts();
    assertThat(facts.usage()).isNotNull();
    assertThat(facts.usage().output()).isEqualTo(4160);
  }
}
