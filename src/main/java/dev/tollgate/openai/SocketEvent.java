package dev.tollgate.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The top-level fields of one WebSocket event (a Responses or Realtime JSON message) that say what
 * it is: its {@code type}, a text {@code delta}, an error's {@code status}; and for a session event
 * the models it names ({@link #session}). Reads tokens and skips everything else, so an audio chunk
 * costs a scan of its base64, not a tree.
 *
 * @param type the event's {@code type}, or null when absent or the message is not a JSON object
 * @param delta a string {@code delta}, or null
 * @param status an error event's HTTP {@code status}, or 0
 */
public record SocketEvent(String type, String delta, int status) {
  static final SocketEvent UNKNOWN = new SocketEvent(null, null, 0);
  private static final ObjectMapper TREE = new ObjectMapper();

  /**
   * What a Realtime {@code session.created} / {@code session.updated} says the session uses.
   *
   * @param model the session's model, or null
   * @param transcriptionModel the model transcribing the caller's audio (GA {@code
   *     session.audio.input.transcription.model}, beta {@code
   *     session.input_audio_transcription.model}), or null when it is off
   */
  record Session(String model, String transcriptionModel) {}

  /** Events whose delta is text the model wrote (kept for an estimate if the turn is cut). */
  private static final Set<String> TEXT_DELTAS =
      Set.of(
          "response.output_text.delta",
          "response.text.delta",
          "response.output_audio_transcript.delta",
          "response.audio_transcript.delta",
          "response.function_call_arguments.delta",
          "response.reasoning_text.delta",
          "response.reasoning_summary_text.delta");

  /** Reads {@code message} (its position is left unchanged); never throws. */
  static SocketEvent read(ByteBuffer message) {
    String type = null;
    String delta = null;
    int status = 0;
    // The response reader's factory: as lenient, and with no limit on a string's length.
    try (JsonParser p =
        ResponseReader.JSON.createParser(new ByteBufferBackedInputStream(message.duplicate()))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return UNKNOWN;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
          type = p.getText();
          if (!TEXT_DELTAS.contains(type) && !type.equals("error")) {
            break; // the type is all that is needed of it (an audio chunk's base64 is not read)
          }
        } else if ("delta".equals(name) && value == JsonToken.VALUE_STRING && type != null) {
          // Read only once the type says it is text: OpenAI writes the type first, and a delta
          // ahead of it may be audio, not worth a string.
          delta = p.getText();
        } else if ("status".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
          status = p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : 0;
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON, or not strict JSON: relayed all the same, and only unreadable to metering.
    }
    return new SocketEvent(type, delta, status);
  }

  /**
   * The models a session event names; read as a tree, since session events are rare and small (the
   * session's configuration). Never throws: what cannot be read is null.
   */
  static Session session(ByteBuffer message) {
    try {
      JsonNode session =
          TREE.readTree(new ByteBufferBackedInputStream(message.duplicate())).path("session");
      return new Session(
          text(session.path("model")),
          text(
              session.at("/audio/input/transcription/model").isMissingNode()
                  ? session.at("/input_audio_transcription/model")
                  : session.at("/audio/input/transcription/model")));
    } catch (IOException | RuntimeException e) {
      return new Session(null, null);
    }
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }
}
