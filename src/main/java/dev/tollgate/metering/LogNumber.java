package dev.tollgate.metering;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import dev.tollgate.call.Money;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * A decimal access-log value that reads the same in both log formats: plain digits in a text line
 * ({@code total_ms=12.345}), a JSON number in a JSON line ({@code "total_ms":12.345}), and for a
 * value the call does not have, {@code -} in text and {@code null} in JSON, so a log pipeline can
 * sum the field without parsing strings.
 */
final class LogNumber implements JsonSerializable {
  static final LogNumber MISSING = new LogNumber(null);

  private final String plain; // null = missing

  private LogNumber(String plain) {
    this.plain = plain;
  }

  static LogNumber of(BigDecimal value) {
    return value == null ? MISSING : new LogNumber(Money.format(value));
  }

  /** Nanoseconds as milliseconds with three decimals, e.g. 12.345; negative means not measured. */
  static LogNumber millis(long nanos) {
    return nanos < 0 ? MISSING : new LogNumber(AccessLog.millis(nanos));
  }

  @Override
  public void serialize(JsonGenerator g, SerializerProvider serializers) throws IOException {
    if (plain == null) {
      g.writeNull();
    } else {
      g.writeNumber(plain); // already decimal digits: written as they are, no float on the way
    }
  }

  @Override
  public void serializeWithType(
      JsonGenerator g, SerializerProvider serializers, TypeSerializer typeSer) throws IOException {
    serialize(g, serializers);
  }

  @Override
  public String toString() {
    return plain == null ? "-" : plain;
  }
}
