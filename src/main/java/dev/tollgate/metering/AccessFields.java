package dev.tollgate.metering;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import net.logstash.logback.marker.LogstashMarker;

/**
 * Where an {@link AccessLine}'s fields go: {@code key=value} pairs in the text line (the event's
 * message), top-level fields in a JSON line (through the event's {@link Marker}). A value the call
 * does not have is {@code -} in text and {@code null} in JSON; numbers are JSON numbers, so a log
 * pipeline can sum them without parsing strings.
 */
interface AccessFields {
  // IOException: only the JSON form's generator throws it.
  void text(String name, String value) throws IOException;

  void number(String name, long value) throws IOException;

  /** Decimal digits as they are (no float on the way); {@code null} = missing. */
  void decimal(String name, String plain) throws IOException;

  /** Nanoseconds as milliseconds with three decimals, e.g. 12.345; negative = not measured. */
  void millis(String name, long nanos) throws IOException;

  /**
   * The text form, built in one reused buffer: the access-log thread formats every line here
   * instead of through SLF4J's formatter and a structured argument per field, which cost ~5 KB of
   * garbage per call.
   */
  final class Text implements AccessFields {
    private final StringBuilder line = new StringBuilder(512);

    /** The line's text; this buffer is reused for the next line. */
    String format(AccessLine l) {
      line.setLength(0);
      try {
        l.writeTo(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a StringBuilder does not throw
      }
      return line.toString();
    }

    private StringBuilder name(String name) {
      if (!line.isEmpty()) {
        line.append(' ');
      }
      return line.append(name).append('=');
    }

    @Override
    public void text(String name, String value) {
      name(name).append(value);
    }

    @Override
    public void number(String name, long value) {
      name(name).append(value);
    }

    @Override
    public void decimal(String name, String plain) {
      name(name).append(plain == null ? "-" : plain);
    }

    @Override
    public void millis(String name, long nanos) {
      if (nanos < 0) {
        name(name).append('-');
      } else {
        appendMillis(name(name), nanos);
      }
    }
  }

  /** Nanoseconds as milliseconds with three decimals, e.g. "12.345". */
  static String formatMillis(long nanos) {
    return appendMillis(new StringBuilder(12), nanos).toString();
  }

  /** Milliseconds with three decimals (String.format costs ~1 µs and allocates). */
  static StringBuilder appendMillis(StringBuilder out, long nanos) {
    long micros = Math.round(nanos / 1_000.0);
    long frac = Math.abs(micros % 1_000);
    if (micros < 0 && micros > -1_000) {
      out.append('-');
    }
    out.append(micros / 1_000).append(frac < 10 ? ".00" : frac < 100 ? ".0" : ".");
    return out.append(frac);
  }

  /** The JSON form: the line's fields written into the JSON encoder's own object. */
  final class Json implements AccessFields {
    private final JsonGenerator g;

    Json(JsonGenerator g) {
      this.g = g;
    }

    @Override
    public void text(String name, String value) throws IOException {
      g.writeStringField(name, value);
    }

    @Override
    public void number(String name, long value) throws IOException {
      g.writeNumberField(name, value);
    }

    @Override
    public void decimal(String name, String plain) throws IOException {
      g.writeFieldName(name);
      if (plain == null) {
        g.writeNull();
      } else {
        g.writeNumber(plain);
      }
    }

    @Override
    public void millis(String name, long nanos) throws IOException {
      decimal(name, nanos < 0 ? null : formatMillis(nanos));
    }
  }

  /**
   * Carries the line to JSON encoders (logstash-logback-encoder writes a {@link LogstashMarker}'s
   * fields at the top level and never lists it in {@code tags}); text layouts ignore it.
   */
  final class Marker extends LogstashMarker {
    private final AccessLine line;

    Marker(AccessLine line) {
      super(MARKER_NAME_PREFIX + "TOLLGATE_ACCESS");
      this.line = line;
    }

    @Override
    public void writeTo(JsonGenerator generator) throws IOException {
      line.writeTo(new Json(generator));
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }
}
