package dev.tollgate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.call.Call;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Money;
import dev.tollgate.call.Reason;
import dev.tollgate.call.TokenKind;
import dev.tollgate.call.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/calls}: recent calls as JSON, newest first. Token kinds are disjoint (input
 * excludes cached input and cache writes, output excludes reasoning), so they add up; money is a
 * decimal string, never a float.
 */
final class AdminCalls {
  private static final JsonFactory JSON = new JsonFactory();

  private AdminCalls() {}

  static byte[] render(List<Call> calls) {
    return render(calls, null);
  }

  /**
   * @param next the cursor of the next page ({@code before=}), or null when this is the last
   */
  static byte[] render(List<Call> calls, String next) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("calls");
      for (Call c : calls) {
        write(g, c);
      }
      g.writeEndArray();
      if (next != null) {
        g.writeStringField("next", next);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, Call c) throws IOException {
    Usage u = c.usage();
    g.writeStartObject();
    g.writeStringField("id", c.id());
    g.writeStringField("time", c.start().toString());
    g.writeStringField("api", c.asked().api().label());
    g.writeStringField("method", c.asked().method());
    g.writeStringField("path", c.asked().path());
    g.writeStringField("session", c.asked().session());
    g.writeStringField("model", c.model());
    g.writeStringField("requested_model", c.asked().model());
    g.writeStringField("service_tier", c.tier().name());
    g.writeStringField("provider", c.served().provider());
    g.writeStringField("upstream", c.served().upstream());
    // Who made the call.
    g.writeStringField("team", c.attribution().team());
    g.writeStringField("project", c.attribution().project());
    g.writeStringField("user", c.attribution().user());
    g.writeStringField("key", c.attribution().key());
    g.writeObjectFieldStart("tags");
    for (Map.Entry<String, String> tag : c.attribution().tags().entrySet()) {
      g.writeStringField(tag.getKey(), tag.getValue());
    }
    g.writeEndObject();
    g.writeNumberField("status_code", c.relay().status());
    g.writeBooleanField("stream", c.asked().stream());
    g.writeObjectFieldStart("tokens");
    for (TokenKind k : TokenKind.values()) {
      g.writeNumberField(k.label(), k.of(u));
    }
    g.writeEndObject();
    if (u.durationMillis() > 0) {
      g.writeNumberField(
          "audio_seconds",
          java.math.BigDecimal.valueOf(u.durationMillis(), 3).stripTrailingZeros());
    }
    g.writeStringField("cost_usd", Money.format(c.cost().total()));
    g.writeObjectFieldStart("cost_components");
    for (CostComponent component : CostComponent.values()) {
      g.writeStringField(component.label(), Money.format(c.cost().get(component)));
    }
    g.writeEndObject();
    if (!c.served().toolCalls().isEmpty()) {
      g.writeObjectFieldStart("tool_calls");
      for (Map.Entry<String, Long> t : c.served().toolCalls().entrySet()) {
        g.writeNumberField(t.getKey(), t.getValue());
      }
      g.writeEndObject();
    }
    g.writeStringField("price_version", c.charge().priceVersion());
    g.writeStringField("status", c.status().label());
    g.writeArrayFieldStart("reasons");
    for (Reason r : c.charge().reasons()) {
      g.writeString(r.toString());
    }
    g.writeEndArray();
    Call.Before before = c.charge().before();
    if (before != null) {
      // What the call said when it was recorded, before repricing corrected it.
      g.writeObjectFieldStart("repriced");
      g.writeStringField("at", before.repricedAt().toString());
      g.writeStringField("previous_status", before.status().label());
      g.writeStringField("previous_price_version", before.priceVersion());
      g.writeStringField("previous_cost_usd", Money.format(before.costTotal()));
      g.writeEndObject();
    }
    g.writeNumberField("latency_ms", c.relay().timings().totalMillis());
    g.writeNumberField("ttft_ms", c.relay().timings().ttftMillis());
    if (c.served().error() != null) {
      g.writeStringField("error", c.served().error());
    }
    g.writeEndObject();
  }
}
