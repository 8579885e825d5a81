package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Usage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Turns found in the events of a socket, from real-shaped Responses and Realtime events. */
class SocketTurnsTest {
  static final String CREATE =
      "{\"type\":\"response.create\",\"model\":\"gpt-5\",\"service_tier\":\"flex\","
          + "\"max_output_tokens\":900,\"input\":\"hi\"}";
  static final String USAGE =
      "\"usage\":{\"input_tokens\":1200,\"input_tokens_details\":{\"cached_tokens\":200},"
          + "\"output_tokens\":300,\"output_tokens_details\":{\"reasoning_tokens\":100}}";
  final AtomicInteger ids = new AtomicInteger();

  static ByteBuffer msg(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  static String terminal(String type, String status) {
    return "{\"type\":\""
        + type
        + "\",\"response\":{\"id\":\"resp_1\",\"status\":\""
        + status
        + "\",\"model\":\"gpt-5-2025-08-07\","
        + USAGE
        + "}}";
  }

  SocketTurns.Asked ask(SocketTurns t, String message, long nanos) {
    return t.fromClient(msg(message), nanos, () -> "call-" + ids.incrementAndGet());
  }

  @ParameterizedTest
  @CsvSource({
    "response.completed, completed",
    "response.incomplete, incomplete",
    "response.failed, failed",
    "response.cancelled, cancelled"
  })
  void eachTerminalResponsesEventEndsOneBilledTurn(String type, String status) {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.RESPONSES, null, 1 << 20);
    SocketTurns.Asked asked = ask(t, CREATE, 100);
    assertThat(asked.model()).isEqualTo("gpt-5");
    assertThat(asked.maxOutputTokens()).isEqualTo(900);
    assertThat(t.fromUpstream(msg("{\"type\":\"response.created\",\"response\":{}}"), 150))
        .isNull();
    assertThat(t.busy()).isTrue();
    SocketTurns.Turn turn = t.fromUpstream(msg(terminal(type, status)), 400);
    assertThat(turn.id()).isEqualTo("call-1");
    assertThat(turn.model()).isEqualTo("gpt-5");
    assertThat(turn.tier()).isEqualTo("flex");
    assertThat(turn.status()).isEqualTo(200);
    assertThat(turn.cut()).isFalse();
    assertThat(turn.facts().model()).isEqualTo("gpt-5-2025-08-07");
    assertThat(turn.facts().responseStatus()).isEqualTo(status);
    assertThat(turn.facts().usage()).isEqualTo(new Usage(1200, 200, 0, 300, 100, 0, 0));
    assertThat(new String(turn.request(), StandardCharsets.UTF_8)).isEqualTo(CREATE);
    assertThat(turn.startNanos()).isEqualTo(100);
    assertThat(turn.firstEventNanos()).isEqualTo(150);
    assertThat(turn.endNanos()).isEqualTo(400);
    assertThat(t.busy()).isFalse();
  }

  @Test
  void turnsAskedBackToBackAreMatchedInOrder() {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.RESPONSES, null, 1 << 20);
    ask(t, CREATE, 1);
    ask(t, CREATE.replace("gpt-5", "o3"), 2);
    assertThat(t.fromUpstream(msg(terminal("response.completed", "completed")), 3).id())
        .isEqualTo("call-1");
    SocketTurns.Turn second = t.fromUpstream(msg(terminal("response.completed", "completed")), 4);
    assertThat(second.id()).isEqualTo("call-2");
    assertThat(second.model()).isEqualTo("o3");
  }

  @Test
  void anErrorEventAnsweringACreateEndsTheTurnUnbilledWithItsStatus() {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.RESPONSES, null, 1 << 20);
    ask(t, CREATE, 1);
    SocketTurns.Turn turn =
        t.fromUpstream(
            msg(
                "{\"type\":\"error\",\"status\":429,\"error\":{\"type\":\"usage_limit_reached\","
                    + "\"message\":\"The usage limit has been reached\"}}"),
            2);
    assertThat(turn.status()).isEqualTo(429);
    assertThat(turn.facts().usage()).isNull();
    assertThat(turn.facts().error()).isEqualTo("The usage limit has been reached");
  }

  @Test
  void aSocketCutMidTurnGivesTheTurnBackCutWithTheTextSoFar() {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.RESPONSES, null, 1 << 20);
    ask(t, CREATE, 1);
    ask(t, CREATE, 2);
    t.fromUpstream(msg("{\"type\":\"response.created\"}"), 3);
    t.fromUpstream(msg("{\"type\":\"response.output_text.delta\",\"delta\":\"Hello, \"}"), 4);
    t.fromUpstream(msg("{\"type\":\"response.output_text.delta\",\"delta\":\"wor\"}"), 5);
    SocketTurns.Turn cut = t.cut(6);
    assertThat(cut.cut()).isTrue();
    assertThat(cut.id()).isEqualTo("call-1");
    assertThat(cut.facts().usage()).isNull();
    assertThat(cut.facts().outputText()).isEqualTo("Hello, wor");
    assertThat(t.unanswered()).extracting(SocketTurns.Asked::id).containsExactly("call-2");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"usage\":\"lots\" | usage=lots",
        "\"usage\":[1500,800] | usage=[...]",
        "\"usage\":2300 | usage=2300",
        "\"usage\":{\"input_tokens\":1500,\"output_tokens\":800,"
            + "\"input_token_details\":\"audio\"} | input_token_details=\"audio\"",
        "\"usage\":{\"input_tokens\":1500,\"output_tokens\":800,"
            + "\"output_token_details\":[600]} | output_token_details=[600]",
        "\"usage\":{\"input_tokens\":1500,\"output_tokens\":800,\"input_token_details\":"
            + "{\"cached_tokens_details\":true}} | cached_tokens_details=true",
      })
  void realtimeUsageOfTheWrongTypeIsFlaggedNotTakenAsZero(String usage, String flagged) {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.REALTIME, "gpt-realtime", 1 << 20);
    t.fromUpstream(msg("{\"type\":\"response.created\",\"response\":{\"id\":\"resp_9\"}}"), 1);
    SocketTurns.Turn turn =
        t.fromUpstream(
            msg(
                "{\"type\":\"response.done\",\"response\":{\"id\":\"resp_9\","
                    + "\"status\":\"completed\","
                    + usage
                    + "}}"),
            2);
    assertThat(turn.facts().usage()).isNull();
    assertThat(turn.facts().usageInvalid()).isEqualTo(flagged);
  }

  @Test
  void realtimeTurnsTheServerStartsCarryTheSessionsModelAndAudioUsage() {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.REALTIME, "gpt-realtime", 1 << 20);
    t.fromUpstream(
        msg(
            "{\"type\":\"session.created\",\"event_id\":\"e1\",\"session\":{\"type\":\"realtime\","
                + "\"model\":\"gpt-realtime-mini\",\"tools\":[{\"type\":\"function\"}]}}"),
        1);
    t.fromUpstream(msg("{\"type\":\"response.created\",\"response\":{\"id\":\"resp_9\"}}"), 2);
    // An audio chunk whose delta comes before its type: not text, never read as such.
    t.fromUpstream(
        msg("{\"delta\":\"UklGRiQAAABXQVZF\",\"type\":\"response.output_audio.delta\"}"), 3);
    assertThat(t.busy()).isTrue();
    SocketTurns.Turn turn =
        t.fromUpstream(
            msg(
                "{\"type\":\"response.done\",\"response\":{\"object\":\"realtime.response\","
                    + "\"id\":\"resp_9\",\"status\":\"completed\",\"usage\":{\"total_tokens\":2300,"
                    + "\"input_tokens\":1500,\"output_tokens\":800,\"input_token_details\":{"
                    + "\"text_tokens\":700,\"audio_tokens\":800,\"cached_tokens\":500,"
                    + "\"cached_tokens_details\":{\"text_tokens\":300,\"audio_tokens\":200}},"
                    + "\"output_token_details\":{\"text_tokens\":200,\"audio_tokens\":600}}}}"),
            4);
    assertThat(turn.id()).isNull();
    assertThat(turn.model()).isEqualTo("gpt-realtime-mini");
    // Cached audio counts once, in the cached tokens: 600 of the 800 audio tokens are uncached.
    assertThat(turn.facts().usage()).isEqualTo(new Usage(1500, 500, 0, 800, 0, 600, 600, 0, 200));
    assertThat(t.cut(5)).isNull();
  }

  @Test
  void aRealtimeCreateTheServerNeverStartedIsNotACutTurn() {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.REALTIME, "gpt-realtime", 1 << 20);
    SocketTurns.Asked asked = ask(t, "{\"type\":\"response.create\",\"response\":{}}", 1);
    assertThat(asked.model()).isEqualTo("gpt-realtime");
    assertThat(t.queues()).isFalse();
    assertThat(t.busy()).isFalse();
    assertThat(t.cut(2)).isNull();
    assertThat(t.unanswered()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"input_tokens\":\"1200\",\"output_tokens\":5 | input_tokens=\"1200\"",
        "\"input_tokens\":-4,\"output_tokens\":5 | input_tokens=-4",
        "\"input_tokens\":1.5,\"output_tokens\":5 | input_tokens=1.5",
        "\"input_tokens\":99999999999999999999999,\"output_tokens\":5 | input_tokens=",
      })
  void hostileCountsInATerminalEventAreFlaggedNotBelieved(String usage, String flagged) {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.RESPONSES, null, 1 << 20);
    ask(t, CREATE, 1);
    SocketTurns.Turn turn =
        t.fromUpstream(
            msg(
                "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_2\","
                    + "\"status\":\"completed\",\"usage\":{"
                    + usage
                    + "}}}"),
            2);
    assertThat(turn.facts().usage()).isNull();
    assertThat(turn.facts().usageInvalid()).startsWith(flagged);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"not json at all", "[1,2,3]", "{\"type\":", "{\"type\":42}", "''"})
  void messagesThatAreNotEventsChangeNothing(String message) {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.RESPONSES, null, 1 << 20);
    assertThat(t.fromUpstream(msg(message), 1)).isNull();
    assertThat(ask(t, message, 1)).isNull();
    assertThat(t.busy()).isFalse();
  }

  @Test
  void aTerminalEventTooLargeToReadStillEndsItsTurnFlagged() {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.RESPONSES, null, 1 << 20);
    ask(t, CREATE, 1);
    String start = "{\"type\":\"response.completed\",\"response\":{\"output\":[{\"text\":\"xxxx";
    SocketTurns.Turn turn = t.oversized(msg(start), 9_000_000, 2);
    assertThat(turn.id()).isEqualTo("call-1");
    assertThat(turn.facts().usage()).isNull();
    assertThat(turn.facts().usageInvalid()).isEqualTo("event_bytes=9000000");
    assertThat(t.busy()).isFalse();
    assertThat(t.oversized(msg("{\"type\":\"response.output_audio.delta\",\"delta\":\"AAAA"), 9, 3))
        .isNull();
  }

  @Test
  void realtimeTranscriptionOfTheCallersAudioIsACallOfItsOwnAtTheTranscriptionModel() {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.REALTIME, "gpt-realtime", 1 << 20);
    t.fromUpstream(
        msg(
            "{\"type\":\"session.updated\",\"session\":{\"type\":\"realtime\",\"model\":"
                + "\"gpt-realtime\",\"audio\":{\"input\":{\"transcription\":{\"model\":"
                + "\"gpt-4o-transcribe\"}}}}}"),
        1);
    SocketTurns.Turn heard =
        t.fromUpstream(
            msg(
                "{\"type\":\"conversation.item.input_audio_transcription.completed\","
                    + "\"item_id\":\"item_1\",\"transcript\":\"Hello\",\"usage\":{\"type\":"
                    + "\"tokens\",\"total_tokens\":150,\"input_tokens\":120,"
                    + "\"input_token_details\":{\"text_tokens\":20,\"audio_tokens\":100},"
                    + "\"output_tokens\":30}}"),
            2);
    assertThat(heard.model()).isEqualTo("gpt-4o-transcribe");
    assertThat(heard.facts().usage()).isEqualTo(new Usage(120, 0, 0, 30, 0, 100, 0));
    assertThat(t.busy()).isFalse(); // not a turn of the conversation

    // The beta shape names it elsewhere; whisper-1 reports seconds, metered per minute.
    t.fromUpstream(
        msg(
            "{\"type\":\"session.created\",\"session\":{\"model\":\"gpt-4o-realtime-preview\","
                + "\"input_audio_transcription\":{\"model\":\"whisper-1\"}}}"),
        3);
    SocketTurns.Turn minutes =
        t.fromUpstream(
            msg(
                "{\"type\":\"conversation.item.input_audio_transcription.completed\","
                    + "\"usage\":{\"type\":\"duration\",\"seconds\":3}}"),
            4);
    assertThat(minutes.model()).isEqualTo("whisper-1");
    assertThat(minutes.facts().usage().durationMillis()).isEqualTo(3000);
    assertThat(minutes.facts().usage().input()).isZero();
  }

  @Test
  void aResponsesSocketKeepsAtMostEightCreatesWaitingAndSaysSoOfTheNinth() {
    SocketTurns t = new SocketTurns(SocketTurns.Kind.RESPONSES, null, 1 << 20);
    for (int i = 0; i < SocketTurns.MAX_QUEUED; i++) {
      assertThat(ask(t, CREATE, i)).isNotSameAs(SocketTurns.TOO_MANY);
    }
    assertThat(ask(t, CREATE, 9)).isSameAs(SocketTurns.TOO_MANY);
    t.fromUpstream(msg(terminal("response.completed", "completed")), 10);
    assertThat(ask(t, CREATE, 11)).isNotSameAs(SocketTurns.TOO_MANY);
  }
}
