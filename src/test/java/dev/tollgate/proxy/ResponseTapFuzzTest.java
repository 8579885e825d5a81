package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.openai.ResponseFacts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay never loses or reorders a byte, whatever the stream holds: non-strict JSON, garbage,
 * cuts anywhere. Only the usage-only chunk Tollgate itself asked for is ever taken out.
 */
class ResponseTapFuzzTest {
  private static final String CONTENT =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n";
  private static final String USAGE_ONLY =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n";
  private static final String DONE = "data: [DONE]\n\n";

  /** What Python's json.dumps writes for a float that is not finite. */
  private static final List<String> NON_STRICT =
      List.of(
          "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"logprobs\":{\"x\":-Infinity},\"delta\":{}}]}\n\n",
          "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"score\":NaN}}]}\n\n",
          "data: {\"id\":\"c\",\"choices\":[{\"broken\": tru}]}\n\n",
          "data: {\"unterminated\": \"abc\n\n",
          "data: {{{{\n\n",
          ": a comment line\n\n");

  @ParameterizedTest
  @ValueSource(strings = {"-Infinity", "NaN", "tru", "{{{{"})
  void oneNonStrictEventNeverTruncatesAStreamWithInjectedUsage(String kind) throws Exception {
    String bad = NON_STRICT.stream().filter(e -> e.contains(kind)).findFirst().orElseThrow();
    String stream = CONTENT + bad + CONTENT + USAGE_ONLY + DONE;
    byte[] body = stream.getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut < body.length; cut += 7) {
      ResponseTap tap = ResponseTap.of(ResponseTapTest.sse(), true);
      String out = ResponseTapTest.relay(tap, body, cut);
      // Every byte the upstream sent reaches the client, [DONE] included, minus the chunk we added.
      assertThat(out).isEqualTo(CONTENT + bad + CONTENT + DONE);
    }
  }

  @Test
  void theUsageNullMemberTheInjectionAddedIsCutWhereverTheChunksSplit() {
    // With include_usage set, OpenAI adds "usage":null to every chunk; a client that did not ask
    // must get the chunks without it, byte for byte, however the network split them.
    String withNull = CONTENT.replace("]}\n\n", "],\"usage\":null}\n\n");
    assertThat(withNull).isNotEqualTo(CONTENT);
    byte[] body = (withNull + withNull + USAGE_ONLY + DONE).getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut < body.length; cut++) {
      String out = ResponseTapTest.relay(ResponseTap.of(ResponseTapTest.sse(), true), body, cut);
      assertThat(out).as("split every %d bytes", cut).isEqualTo(CONTENT + CONTENT + DONE);
    }
    // A client that asked for usage itself gets every byte, the member included.
    String asked = ResponseTapTest.relay(ResponseTap.of(ResponseTapTest.sse(), false), body, 50);
    assertThat(asked).isEqualTo(withNull + withNull + USAGE_ONLY + DONE);
  }

  @Test
  void usageAfterANonStrictEventIsStillRead() {
    String stream = CONTENT + NON_STRICT.get(0) + CONTENT + USAGE_ONLY + DONE;
    ResponseTap tap = ResponseTap.of(ResponseTapTest.sse(), true);
    ResponseTapTest.relay(tap, stream.getBytes(StandardCharsets.UTF_8), 10, 200, 400);
    ResponseFacts facts = tap.facts();
    assertThat(facts.usage()).isNotNull();
    assertThat(facts.usage().input()).isEqualTo(12);
  }

  @Test
  void randomStreamsSplitAnywhereArriveWholeAndInOrder() throws Exception {
    Random random = new Random(20261201L); // seeded: a failure replays exactly
    List<String> pieces = new ArrayList<>(NON_STRICT);
    pieces.add(CONTENT);
    pieces.add(DONE);
    for (int round = 0; round < 400; round++) {
      boolean inject = random.nextBoolean();
      StringBuilder expected = new StringBuilder();
      StringBuilder sent = new StringBuilder();
      int events = 1 + random.nextInt(12);
      for (int e = 0; e < events; e++) {
        String piece =
            random.nextInt(5) == 0 ? garbage(random) : pieces.get(random.nextInt(pieces.size()));
        sent.append(piece);
        expected.append(piece);
      }
      if (inject) {
        sent.append(USAGE_ONLY); // the chunk Tollgate asked for: the client never sees it
        if (!inject) {
          expected.append(USAGE_ONLY);
        }
      }
      sent.append(DONE);
      expected.append(DONE);
      byte[] body = sent.toString().getBytes(StandardCharsets.UTF_8);
      int[] cuts = cuts(random, body.length);
      String out = ResponseTapTest.relay(ResponseTap.of(ResponseTapTest.sse(), inject), body, cuts);
      String why = "round " + round + ", cuts " + Arrays.toString(cuts) + ", stream " + sent;
      if (!inject || !followsCleanEvent(sent.toString())) {
        // Without injection, or when garbage left the last event open, nothing may be removed.
        assertThat(out).as(why).isIn(expected.toString(), sent.toString());
      } else {
        assertThat(out).as(why).isEqualTo(expected.toString());
      }
      assertThat(isSubsequence(out, sent.toString())).as(why).isTrue();
    }
  }

  /** True when the usage chunk starts a fresh event (garbage did not leave one unterminated). */
  private static boolean followsCleanEvent(String sent) {
    int at = sent.lastIndexOf(USAGE_ONLY);
    return at >= 2 && sent.startsWith("\n\n", at - 2);
  }

  /** Random bytes of printable and control characters, ending an event. */
  private static String garbage(Random random) {
    StringBuilder s = new StringBuilder(random.nextBoolean() ? "data: " : "");
    int n = random.nextInt(60);
    String alphabet = "{}[]\":,0123456789abcdefNaInfty- \n\r\\";
    for (int i = 0; i < n; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.append("\n\n").toString();
  }

  private static int[] cuts(Random random, int length) {
    int n = random.nextInt(Math.min(8, length));
    return random.ints(n, 1, length).distinct().sorted().toArray();
  }

  private static boolean isSubsequence(String out, String sent) {
    int j = 0;
    for (int i = 0; i < sent.length() && j < out.length(); i++) {
      if (sent.charAt(i) == out.charAt(j)) {
        j++;
      }
    }
    return j == out.length();
  }
}
