package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageNullMemberTest {
  /** The event with the member cut out, as the client would get it. */
  static String cut(String event) {
    byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
    // A buffer whose position is not 0, as the relay's slices are.
    ByteBuffer buf = ByteBuffer.allocate(bytes.length + 3);
    buf.put("xyz".getBytes(StandardCharsets.US_ASCII)).put(bytes).flip().position(3);
    long r = UsageNullMember.find(buf);
    if (r < 0) {
      return event;
    }
    int from = (int) (r >>> 32);
    int to = (int) r;
    return new String(bytes, 0, from, StandardCharsets.UTF_8)
        + new String(bytes, to, bytes.length - to, StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // OpenAI's chunk, as sent when include_usage is set: the member goes, with its comma.
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\\n\\n"
            + "|data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\\n\\n",
        // Not last: the comma after it goes.
        "data: {\"usage\":null,\"id\":\"c1\"}\\n\\n|data: {\"id\":\"c1\"}\\n\\n",
        "data: {\"id\":\"c1\",\"usage\":null,\"obfuscation\":\"x\"}\\n\\n|data: {\"id\":\"c1\",\"obfuscation\":\"x\"}\\n\\n",
        // Spaced JSON from OpenAI-compatible servers.
        "data: {\"id\": \"c1\", \"usage\": null}\\n\\n|data: {\"id\": \"c1\"}\\n\\n",
        // Real usage, nested or quoted look-alikes, and a lone member stay untouched.
        "data: {\"id\":\"c1\",\"usage\":{\"prompt_tokens\":1}}\\n\\n|data: {\"id\":\"c1\",\"usage\":{\"prompt_tokens\":1}}\\n\\n",
        "data: {\"choices\":[{\"delta\":{\"usage\":null,\"a\":1}}]}\\n\\n|data: {\"choices\":[{\"delta\":{\"usage\":null,\"a\":1}}]}\\n\\n",
        "data: {\"c\":\",\\\"usage\\\":null\"}\\n\\n|data: {\"c\":\",\\\"usage\\\":null\"}\\n\\n",
        "data: {\"c\":\"\\\\\",\"usage\":null}\\n\\n|data: {\"c\":\"\\\\\"}\\n\\n",
        "data: {\"usage\":null}\\n\\n|data: {\"usage\":null}\\n\\n",
        "data: {\"id\":\"c1\",\"usage\":nullish}\\n\\n|data: {\"id\":\"c1\",\"usage\":nullish}\\n\\n",
        "data: [DONE]\\n\\n|data: [DONE]\\n\\n",
      })
  void cutsOnlyTheTopLevelUsageNullMember(String event, String expected) {
    assertThat(cut(event.replace("\\n", "\n"))).isEqualTo(expected.replace("\\n", "\n"));
  }
}
