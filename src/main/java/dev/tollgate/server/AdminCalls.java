package dev.tollgate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.ledger.CallRecord;
import dev.tollgate.openai.Usage;
import dev.tollgate.pricing.CostBreakdown;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
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

  static byte[] render(List<CallRecord> calls) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("calls");
      for (CallRecord c : calls) {
        write(g, c);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, CallRecord c) throws IOException {
    Usage u = c.usage();
    CostBreakdown cost = c.cost();
    g.writeStartObject();
    g.writeStringField("id", c.id());
    g.writeStringField("time", c.start().toString());
    g.writeStringField("api", c.api());
    g.writeStringField("method", c.method());
    g.writeStringField("path", c.path());
    g.writeStringField("model", c.model());
    g.writeStringField("requested_model", c.requestedModel());
    g.writeStringField("service_tier", c.servedTier() != null ? c.servedTier() : c.requestedTier());
    g.writeNumberField("status_code", c.httpStatus());
    g.writeBooleanField("stream", c.stream());
    g.writeObjectFieldStart("tokens");
    g.writeNumberField("input", u.uncachedInput());
    g.writeNumberField("cached_input", u.cachedInput());
    g.writeNumberField("cache_write", u.cacheWrite());
    g.writeNumberField("output", u.visibleOutput());
    g.writeNumberField("reasoning", u.reasoning());
    g.writeEndObject();
    g.writeStringField("cost_usd", CostBreakdown.format(cost.total()));
    g.writeObjectFieldStart("cost_components");
    money(g, "input", cost.input());
    money(g, "cached_input", cost.cachedInput());
    money(g, "cache_write", cost.cacheWrite());
    money(g, "output", cost.output());
    money(g, "reasoning", cost.reasoning());
    money(g, "tools", cost.tools());
    g.writeEndObject();
    if (!c.toolCalls().isEmpty()) {
      g.writeObjectFieldStart("tool_calls");
      for (Map.Entry<String, Long> t : c.toolCalls().entrySet()) {
        g.writeNumberField(t.getKey(), t.getValue());
      }
      g.writeEndObject();
    }
    g.writeStringField("price_version", c.priceVersion());
    g.writeStringField("status", c.status().label());
    g.writeArrayFieldStart("reasons");
    for (String r : c.reasons()) {
      g.writeString(r);
    }
    g.writeEndArray();
    g.writeNumberField("latency_ms", c.latencyMillis());
    g.writeNumberField("ttft_ms", c.ttftMillis());
    if (c.error() != null) {
      g.writeStringField("error", c.error());
    }
    g.writeEndObject();
  }

  private static void money(JsonGenerator g, String name, BigDecimal usd) throws IOException {
    g.writeStringField(name, CostBreakdown.format(usd));
  }
}
