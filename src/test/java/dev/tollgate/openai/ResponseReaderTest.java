package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Usage, model and tier from every response shape, however the bytes are chunked. */
class ResponseReaderTest {
  static byte[] fixture(String name) throws IOException {
    try (InputStream in = ResponseReaderTest.class.getResourceAsStream("/fixtures/" + name)) {
      return in.readAllBytes();
    }
  }

  static ResponseFacts read(String name, int chunkSize) throws IOException {
    byte[] bytes = fixture(name);
    ResponseReader reader = name.endsWith(".sse") ? ResponseReader.sse() : ResponseReader.json();
    for (int i = 0; i < bytes.length; i += chunkSize) {
      // Direct buffers, like the network's, so nothing relies on a backing array.
      int n = Math.min(chunkSize, bytes.length - i);
      ByteBuffer chunk = ByteBuffer.allocateDirect(n).put(bytes, i, n).flip();
      reader.feed(chunk);
      assertThat(chunk.position()).isZero();
    }
    assertThat(reader.failed()).as("parse failure").isFalse();
    return reader.facts();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        // fixture                               | model                    | tier    | in    |
        // cached | write | out  | reasoning | audio in
        "chat.json                               | gpt-4o-2024-08-06        | default | 19    | 0      | 0     | 8    | 0         | 0",
        "chat-o3-cached-reasoning.json           | o3-2025-04-16            | default | 2000  | 1024   | 0     | 500  | 300       | 0",
        "chat-stream-usage.sse                   | gpt-4o-mini-2024-07-18   | default | 1200  | 1024   | 0     | 40   | 0         | 0",
        "chat-stream-usage-crlf.sse              | gpt-4o-mini-2024-07-18   | default | 1200  | 1024   | 0     | 40   | 0         | 0",
        "responses.json                          | o3-2025-04-16            | default | 10    | 0      | 0     | 148  | 128       | 0",
        "responses-stream.sse                    | o3-2025-04-16            | default | 10    | 0      | 0     | 148  | 128       | 0",
        "responses-stream-flex-websearch.sse     | o3-2025-04-16            | flex    | 10000 | 8000   | 0     | 2000 | 1500      | 0",
        "responses-stream-incomplete.sse         | o3-2025-04-16            | flex    | 5000  | 0      | 0     | 4096 | 4096      | 0",
        "responses-stream-failed.sse             | o3-2025-04-16            | flex    | 300   | 0      | 0     | 20   | 0         | 0",
        "embeddings.json                         | text-embedding-3-small   | null    | 1     | 0      | 0     | 0    | 0         | 0",
        "completions.json                        | gpt-3.5-turbo-instruct   | null    | 5     | 0      | 0     | 3    | 0         | 0",
        "deepseek-chat.json                      | deepseek-chat            | null    | 1000  | 600    | 0     | 100  | 0         | 0",
        "anthropic-native.json                   | claude-sonnet-4-20250514 | null    | 10050 | 8000   | 2000  | 120  | 0         | 0",
        "transcription.json                      | null                     | null    | 120   | 0      | 0     | 5    | 0         | 120",
        "chat-cache-write.json                   | gpt-5.6-2026-07-01       | priority| 50000 | 30000  | 15000 | 1000 | 600       | 0",
        "chat-null-details.json                  | llama-3.1-70b            | null    | 12    | 0      | 0     | 4    | 0         | 0",
        // Gemini's :streamGenerateContent without alt=sse: a JSON array, its last element counts.
        "gemini-stream-array.json                | gemini-2.5-pro           | null    | 1000  | 200    | 0     | 1000 | 600       | 0",
      })
  void usageIsReadFromEveryShape(
      String fixture,
      String model,
      String tier,
      long in,
      long cached,
      long write,
      long out,
      long reasoning,
      long audioIn)
      throws IOException {
    ResponseFacts whole = read(fixture, Integer.MAX_VALUE);
    assertThat(whole.model()).isEqualTo(model);
    assertThat(whole.serviceTier()).isEqualTo(tier);
    long write1h = fixture.startsWith("anthropic") ? 500 : 0;
    assertThat(whole.usage())
        .isEqualTo(new Usage(in, cached, write, out, reasoning, audioIn, 0, write1h));
    for (int size : new int[] {1, 2, 3, 7, 64, 1000}) {
      assertThat(read(fixture, size)).as("chunks of %d bytes", size).isEqualTo(whole);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "chat-stream.sse",
        "chat-stream-cut.sse",
        "chat-stream-error.sse",
        "responses-stream-error-event.sse"
      })
  void aStreamWithoutUsageSaysSoAndKeepsTheTextForAnEstimate(String fixture) throws IOException {
    ResponseFacts facts = read(fixture, 5);
    assertThat(facts.usage()).isNull();
    assertThat(facts).isEqualTo(read(fixture, Integer.MAX_VALUE));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "chat-stream.sse                       | Hi there!  | null",
        "chat-stream-cut.sse                   | Hello world| null",
        "chat-stream-error.sse                 | Hello      | The server had an error while processing your request.",
        "responses-stream-error-event.sse      | ''         | Rate limit reached.",
        "responses-stream-failed.sse           | ''         | The model failed to generate a response.",
        "responses-stream-flex-websearch.sse   | Found it.  | null",
        "chat-o3-cached-reasoning.json         | The answer is 42. | null",
      })
  void streamedTextAndErrorsAreKept(String fixture, String text, String error) throws IOException {
    ResponseFacts facts = read(fixture, 3);
    assertThat(facts.outputText()).isEqualTo(text == null ? "" : text);
    assertThat(facts.error()).isEqualTo(error);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "responses-stream-flex-websearch.sse | resp_68af1                                            | completed  | 1",
        "responses-stream-incomplete.sse     | resp_68af1                                            | incomplete | 0",
        "responses.json                      | resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b | completed  | 0",
      })
  void responsesCarryTheirIdStatusAndToolCalls(
      String fixture, String id, String status, long webSearches) throws IOException {
    ResponseFacts facts = read(fixture, 4);
    assertThat(facts.responseId()).isEqualTo(id);
    assertThat(facts.responseStatus()).isEqualTo(status);
    assertThat(facts.toolCalls().getOrDefault("web_search", 0L)).isEqualTo(webSearches);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 17, 100000})
  void onlyTheUsageOnlyChunkIsFlaggedForDropping(int chunkSize) throws IOException {
    byte[] bytes = fixture("chat-stream-usage.sse");
    ResponseReader reader = ResponseReader.sse();
    List<Boolean> flags = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += chunkSize) {
      reader.feed(
          ByteBuffer.wrap(bytes, i, Math.min(chunkSize, bytes.length - i)).slice(),
          (end, usageOnly) -> flags.add(usageOnly));
    }
    // Four content chunks, the usage-only chunk, then [DONE].
    assertThat(flags).containsExactly(false, false, false, false, true, false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "\u001f\u008b\u0008gzip", "<html>502 Bad Gateway</html>"})
  void aBodyThatIsNotJsonFailsQuietly(String body) {
    ResponseReader reader = ResponseReader.json();
    reader.feed(ByteBuffer.wrap(body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    assertThat(reader.failed()).isTrue();
    assertThat(reader.facts().usage()).isNull();
    assertThat(reader.facts().toolCalls()).isEqualTo(Map.of());
  }

  /** The response's id and finish reasons, for its span: whatever the API, streamed or not. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "chat.json                      | chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT | stop",
        "chat-stream-usage.sse          | chatcmpl-D2y                           | stop",
        "anthropic-stream.sse           | msg_01XFDUDYJgAACzvnptvVoYEL           | end_turn",
        "anthropic-message.json         | msg_01XFDUDYJgAACzvnptvVoYEL                           | end_turn",
        "gemini-stream-array.json       | mXo1aZ2tLYfM_uMPq8ab4Qg                | STOP",
        "responses.json                 | resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b | completed",
        "responses-stream-incomplete.sse | resp_68af1                            | incomplete",
      })
  void theResponsesIdAndFinishReasonsAreRead(String name, String id, String reasons)
      throws IOException {
    for (int chunk : new int[] {1, 7, 1 << 16}) {
      ResponseFacts f = read(name, chunk);
      assertThat(f.messageId()).as("%s in %d-byte chunks", name, chunk).isEqualTo(id);
      assertThat(String.join(",", f.finishReasons())).as(name).isEqualTo(reasons);
    }
  }

  /**
   * Containers nested past the position's first slots (8) and past its deepest (64) inside a
   * choice: the paths around them (the choice's text and finish reason, the usage after) still
   * read, whether the position grew while the bytes came in one piece or a few at a time.
   */
  @ParameterizedTest
  @ValueSource(ints = {3, 7, 8, 9, 20, 63, 64, 65, 200})
  void deeplyNestedValuesMoveNothingElse(int nesting) {
    String nested = "{\"a\":[".repeat(nesting) + "1" + "]}".repeat(nesting);
    String body =
        "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"extra\":"
            + nested
            + ",\"content\":\"hello\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}}";
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int chunkSize : new int[] {bytes.length, 5}) {
      ResponseReader reader = ResponseReader.json();
      for (int i = 0; i < bytes.length; i += chunkSize) {
        int n = Math.min(chunkSize, bytes.length - i);
        reader.feed(ByteBuffer.allocateDirect(n).put(bytes, i, n).flip());
      }
      assertThat(reader.failed()).isFalse();
      ResponseFacts facts = reader.facts();
      assertThat(facts.usage().input()).isEqualTo(7);
      assertThat(facts.usage().output()).isEqualTo(3);
      assertThat(facts.model()).isEqualTo("gpt-4o");
      assertThat(facts.finishReasons()).containsExactly("stop");
      assertThat(facts.outputText()).isEqualTo("hello");
    }
  }

  /**
   * The text kept for an estimate stops at 512 Ki characters and counts the rest, in one body and
   * across a stream's events alike (usage never came, so the estimate is all there is).
   */
  @org.junit.jupiter.api.Test
  void outputTextIsKeptUpTo512KiCharactersAndTheRestCounted() {
    String big = "é".repeat(300_000);
    ResponseReader json = ResponseReader.json();
    String body =
        "{\"choices\":[{\"message\":{\"content\":\"" + big + big + "\"}}],\"model\":\"m\"}";
    json.feed(ByteBuffer.wrap(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    ResponseReader sse = ResponseReader.sse();
    String chunk = "data: {\"choices\":[{\"delta\":{\"content\":\"" + big + "\"}}]}\n\n";
    sse.feed(ByteBuffer.wrap((chunk + chunk).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    for (ResponseFacts facts : List.of(json.facts(), sse.facts())) {
      assertThat(facts.usage()).isNull();
      assertThat(facts.outputText())
          .hasSize(512 * 1024)
          .isEqualTo(big.repeat(2).substring(0, 512 * 1024));
      assertThat(facts.outputTextOverflow()).isEqualTo(600_000 - 512 * 1024);
    }
  }

  /** Each finish reason once, in the order first seen, at most eight, however many chunks. */
  @org.junit.jupiter.api.Test
  void finishReasonsAreKeptOnceEachInOrderUpToEight() {
    ResponseReader sse = ResponseReader.sse();
    StringBuilder stream = new StringBuilder();
    for (String r : "stop,length,stop,r3,r4,length,r5,r6,r7,r8,r9,stop".split(",")) {
      stream
          .append("data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"")
          .append(r)
          .append("\"}]}\n\n");
    }
    sse.feed(ByteBuffer.wrap(stream.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(sse.facts().finishReasons())
        .containsExactly("stop", "length", "r3", "r4", "r5", "r6", "r7", "r8");
  }
}
