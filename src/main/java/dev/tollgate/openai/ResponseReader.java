package dev.tollgate.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteBufferFeeder;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Reads a response body as it streams past, with Jackson's non-blocking parser fed straight from
 * the network buffers: a JSON body is one root value (or, an array, the sequence of its elements:
 * Gemini's stream without {@code alt=sse}), an SSE stream is the sequence of its {@code data:}
 * values (non-JSON values such as {@code [DONE]} are skipped). Nothing is copied or held: each
 * buffer is fully consumed before {@link #feed} returns.
 */
public final class ResponseReader {
  // Lenient about NaN and Infinity, which Python's json.dumps writes: such a value is still read
  // (and a usage count that is one is then refused as a count), rather than losing the event.
  // No limit on a string's length: a long one (a base64 image, a huge tool argument) must not cost
  // the call its usage. The parser holds one string at a time; the body is bounded by the relay.
  static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
          .build();
  private static final ByteBuffer SEPARATOR = ByteBuffer.wrap(new byte[] {'\n'}).asReadOnlyBuffer();

  /** Called after each SSE event; lets the proxy drop the usage-only chunk it asked for. */
  public interface EventListener {
    void eventEnd(int end, boolean usageOnlyChunk);
  }

  private final boolean sse;
  private JsonParser parser;
  private ByteBufferFeeder feeder;
  private final UsageCollector collector = new UsageCollector();
  private final SseScanner scanner;
  private boolean jsonValue; // the current SSE data value is JSON and being fed
  private boolean failed;
  private int eventsSkipped;
  // A JSON body that is an array of values (Gemini's :streamGenerateContent without alt=sse
  // streams one, element by element): each element is read as a root value of its own.
  private int level;
  private boolean rootArray;

  private ResponseReader(boolean sse) {
    this.sse = sse;
    this.scanner = sse ? new SseScanner() : null;
    newParser();
  }

  private void newParser() {
    try {
      this.parser = JSON.createNonBlockingByteBufferParser();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.feeder = (ByteBufferFeeder) parser.getNonBlockingInputFeeder();
  }

  public static ResponseReader json() {
    return new ResponseReader(false);
  }

  public static ResponseReader sse() {
    return new ResponseReader(true);
  }

  /** Feeds the next bytes of the body. The buffer's position is left unchanged. */
  public void feed(ByteBuffer chunk, EventListener listener) {
    if (!sse) {
      if (!failed) {
        push(chunk.duplicate());
      }
      return;
    }
    // A stream is scanned to its end whatever its JSON says: the relay cuts events at the
    // scanner's boundaries, so reading usage may give up on an event but never on the stream.
    scanner.feed(
        chunk,
        new SseScanner.Sink() {
          @Override
          public void data(ByteBuffer part, boolean first) {
            if (first) {
              // OpenAI's data values are JSON objects, except the final "[DONE]".
              jsonValue = part.get(part.position()) == '{';
            }
            if (jsonValue) {
              push(part);
            }
          }

          @Override
          public void dataEnd() {
            // Ends a data line: as JSON whitespace it separates lines of one value, and root
            // values.
            if (jsonValue) {
              push(SEPARATOR.duplicate());
            }
          }

          @Override
          public void eventEnd(int end) {
            boolean usageOnly = jsonValue && !failed && collector.lastRootWasUsageOnlyChunk();
            if (failed) {
              // The event was not (strict) JSON: start the next one on a fresh parser.
              failed = false;
              eventsSkipped++;
              newParser();
              collector.abandonRoot();
            }
            jsonValue = false;
            if (listener != null) {
              listener.eventEnd(end, usageOnly);
            }
          }
        });
  }

  public void feed(ByteBuffer chunk) {
    feed(chunk, null);
  }

  /** True when the body stopped being parseable (not JSON, compressed, truncated mid-token). */
  public boolean failed() {
    return failed;
  }

  /** Stream events whose data could not be read as JSON (they were relayed all the same). */
  public int eventsSkipped() {
    return eventsSkipped;
  }

  /**
   * What was read. Also closes the parser, which hands its learned field names back to the shared
   * symbol table, so the next response's parser does not rebuild them.
   */
  public ResponseFacts facts() {
    try {
      parser.close();
    } catch (IOException e) {
      // nothing to release that matters
    }
    return collector.facts(sse || rootArray);
  }

  /** True for the tokens that open and close a JSON body's root array (not passed on). */
  private boolean outerArray(JsonToken t) {
    if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
      if (level++ == 0 && t == JsonToken.START_ARRAY) {
        rootArray = true;
        return true;
      }
    } else if (t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) {
      return --level == 0 && rootArray;
    }
    return false;
  }

  private void push(ByteBuffer bytes) {
    if (failed || !bytes.hasRemaining()) {
      return;
    }
    try {
      feeder.feedInput(bytes);
      JsonToken t;
      while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
        if (!sse && outerArray(t)) {
          continue;
        }
        collector.token(t, parser);
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON after all (or a provider quirk): stop reading; the call is then estimated.
      failed = true;
    }
  }
}
