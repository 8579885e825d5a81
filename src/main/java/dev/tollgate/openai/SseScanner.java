package dev.tollgate.openai;

import java.nio.ByteBuffer;

/**
 * An incremental Server-Sent Events scanner over raw bytes, as they arrive in arbitrary chunks. It
 * copies nothing: the bytes of each {@code data:} value are handed on as views of the chunk. Line
 * ends may be LF, CR or CRLF (the SSE spec allows all three).
 */
public final class SseScanner {
  /** Receives what the scanner finds. */
  public interface Sink {
    /**
     * Part of a {@code data:} value. {@code first} marks the first bytes of the event's data; later
     * parts continue it, across network chunks or (after {@link #dataEnd}) on a new line.
     */
    void data(ByteBuffer part, boolean first);

    /** A {@code data:} value ended (end of its line). */
    void dataEnd();

    /** An event ended; {@code end} is the chunk position just after its terminating blank line. */
    void eventEnd(int end);
  }

  private enum State {
    LINE_START,
    FIELD,
    SPACE,
    DATA,
    SKIP
  }

  private static final byte[] DATA = {'d', 'a', 't', 'a'};

  private State state = State.LINE_START;
  private int fieldIndex;
  private boolean fieldIsData;
  private boolean valueStarted;
  private boolean eventHasFields;
  private boolean lastWasCr;

  /** Scans {@code chunk} from its position to its limit; the buffer's position is not changed. */
  public void feed(ByteBuffer chunk, Sink sink) {
    int limit = chunk.limit();
    int runStart = -1; // start of a run of data bytes in this chunk
    for (int i = chunk.position(); i < limit; i++) {
      byte b = chunk.get(i);
      if (lastWasCr) {
        lastWasCr = false;
        if (b == '\n') {
          continue; // the LF of a CRLF already handled at the CR
        }
      }
      boolean eol = b == '\n' || b == '\r';
      lastWasCr = b == '\r';
      switch (state) {
        case LINE_START -> {
          if (eol) {
            // A blank line ends an event; one with no fields dispatches nothing, but it is still
            // a boundary, so the relay never counts it as part of the next event.
            eventHasFields = false;
            valueStarted = false;
            sink.eventEnd(i + 1);
          } else {
            eventHasFields = true;
            fieldIndex = 0;
            fieldIsData = true;
            state = State.FIELD;
            i = field(b, i, sink); // may end the line
          }
        }
        case FIELD -> i = field(b, i, sink);
        case SPACE -> {
          state = fieldIsData ? State.DATA : State.SKIP;
          if (b == ' ') {
            continue;
          }
          i--; // reprocess this byte as the first value byte
        }
        case DATA -> {
          if (eol) {
            if (runStart >= 0) {
              emit(chunk, runStart, i, sink);
              runStart = -1;
            }
            sink.dataEnd();
            state = State.LINE_START;
          } else if (runStart < 0) {
            runStart = i;
          }
        }
        case SKIP -> {
          if (eol) {
            state = State.LINE_START;
          }
        }
      }
    }
    if (state == State.DATA && runStart >= 0) {
      emit(chunk, runStart, limit, sink);
    }
  }

  private int field(byte b, int i, Sink sink) {
    if (b == ':') {
      fieldIsData = fieldIsData && fieldIndex == DATA.length;
      state = State.SPACE;
    } else if (b == '\n' || b == '\r') {
      // A field with no colon has an empty value: "data" alone is an empty data line.
      if (fieldIsData && fieldIndex == DATA.length) {
        sink.dataEnd();
      }
      state = State.LINE_START;
    } else {
      fieldIsData = fieldIsData && fieldIndex < DATA.length && DATA[fieldIndex] == b;
      fieldIndex++;
    }
    return i;
  }

  private void emit(ByteBuffer chunk, int from, int to, Sink sink) {
    ByteBuffer part = chunk.duplicate();
    part.limit(to).position(from);
    sink.data(part, !valueStarted);
    valueStarted = true;
  }
}
