package dev.tollgate.jmh;

import dev.tollgate.openai.ResponseFacts;
import dev.tollgate.openai.ResponseReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The response tap's usage reading, as the event loop runs it per response: a chat completion JSON
 * body in one buffer, and a 16-chunk chat stream fed event by event (run with bench/jmh.sh).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UsageParserBenchmark {
  private byte[] json;
  private byte[][] events;

  @Setup
  public void setUp() {
    json =
        ("{\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\",\"object\":\"chat.completion\",\"created\":1741570283,"
                + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + "\"The image shows a wooden boardwalk path running through a lush green field.\",\"refusal\":null,"
                + "\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1117,"
                + "\"completion_tokens\":46,\"total_tokens\":1163,\"prompt_tokens_details\":{\"cached_tokens\":1024,"
                + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\","
                + "\"system_fingerprint\":\"fp_fc9f1d7035\"}")
            .getBytes(StandardCharsets.UTF_8);
    events = new byte[18][];
    String base =
        "{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
            + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[{\"index\":0,\"delta\":";
    events[0] =
        ("data: "
                + base
                + "{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n")
            .getBytes(StandardCharsets.UTF_8);
    for (int i = 1; i <= 15; i++) {
      events[i] =
          ("data: "
                  + base
                  + "{\"content\":\"word"
                  + i
                  + " \"},\"logprobs\":null,\"finish_reason\":null}]}\n\n")
              .getBytes(StandardCharsets.UTF_8);
    }
    events[16] =
        ("data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":15,"
                + "\"total_tokens\":24,\"prompt_tokens_details\":{\"cached_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n")
            .getBytes(StandardCharsets.UTF_8);
    events[17] = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public ResponseFacts chatJsonBody() {
    ResponseReader reader = ResponseReader.json();
    reader.feed(ByteBuffer.wrap(json));
    return reader.facts();
  }

  @Benchmark
  public ResponseFacts chatStream16Chunks() {
    ResponseReader reader = ResponseReader.sse();
    for (byte[] event : events) {
      reader.feed(ByteBuffer.wrap(event));
    }
    return reader.facts();
  }
}
