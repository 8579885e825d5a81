package dev.tollgate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.PriceVersion;
import dev.tollgate.pricing.Rates;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /admin/prices/models}: every model the catalog prices, with the version in force now
 * and where it comes from (the curated catalog, or a synced source); {@code ?name=} gives one
 * model's dated versions, each with its rates in USD per 1M tokens, as the pricer resolves the
 * name.
 */
final class AdminPriceList implements AdminExtras {
  static final String PATH = "/admin/prices/models";
  private static final JsonFactory JSON = new JsonFactory();

  private final Supplier<PriceCatalog> catalog;
  private final Clock clock;

  AdminPriceList(Supplier<PriceCatalog> catalog, Clock clock) {
    this.catalog = catalog;
    this.clock = clock;
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public FullHttpResponse answer(String path, QueryStringDecoder query, ByteBufAllocator alloc)
      throws IOException {
    String name = AdminQueries.param(query, "name", null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      if (name == null) {
        list(g);
      } else {
        Optional<ModelPrice> m = catalog.get().resolve(name);
        if (m.isEmpty()) {
          throw new dev.tollgate.report.SpendQuery.Invalid(
              "name", "No price for model '" + name + "' in the catalog or any synced source");
        }
        model(g, name, m.get());
      }
    }
    return AdminQueries.body(
        HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, out.toByteArray());
  }

  private void list(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("models");
    for (ModelPrice m : new TreeMap<>(catalog.get().models()).values()) {
      PriceVersion now = m.versionAt(clock.instant());
      g.writeStartObject();
      g.writeStringField("name", m.name());
      g.writeStringField("provider", m.provider());
      g.writeStringField("source", source(m));
      g.writeStringField("current_version", now.label());
      g.writeNumberField("versions", m.versions().size());
      rates(g, now.rates());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void model(JsonGenerator g, String asked, ModelPrice m) throws IOException {
    g.writeStartObject();
    g.writeStringField("asked", asked);
    g.writeStringField("name", m.name());
    g.writeStringField("provider", m.provider());
    g.writeStringField("kind", m.kind());
    g.writeStringField("source", source(m));
    g.writeStringField("current_version", m.versionAt(clock.instant()).label());
    g.writeArrayFieldStart("versions");
    for (PriceVersion v : m.versions()) {
      g.writeStartObject();
      g.writeStringField("from", v.label());
      g.writeBooleanField("unconfirmed", v.unconfirmed());
      rates(g, v.rates());
      if (!v.tiers().isEmpty()) {
        g.writeObjectFieldStart("tiers");
        for (Map.Entry<String, Rates> t : new TreeMap<>(v.tiers()).entrySet()) {
          g.writeObjectFieldStart(t.getKey());
          rateFields(g, t.getValue());
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      if (v.longContext().isPresent()) {
        var lc = v.longContext().get();
        g.writeObjectFieldStart("long_context");
        g.writeNumberField("above_input_tokens", lc.threshold());
        g.writeStringField("input_factor", plain(lc.inputFactor()));
        g.writeStringField("output_factor", plain(lc.outputFactor()));
        g.writeEndObject();
      }
      for (PriceVersion.Window w : v.windows()) {
        g.writeObjectFieldStart("window_" + w.name());
        g.writeStringField("start", w.start().toString());
        g.writeStringField("end", w.end().toString());
        g.writeStringField("multiplier", plain(w.multiplier()));
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static String source(ModelPrice m) {
    return m.source() == null ? "catalog" : m.source();
  }

  private static void rates(JsonGenerator g, Rates r) throws IOException {
    g.writeObjectFieldStart("usd_per_1m");
    rateFields(g, r);
    g.writeEndObject();
  }

  private static void rateFields(JsonGenerator g, Rates r) throws IOException {
    if (r.tokensPriced()) {
      g.writeStringField("input", plain(r.input()));
      g.writeStringField("cached_input", plain(r.cachedInput()));
      g.writeStringField("cache_write", plain(r.cacheWrite5m()));
      g.writeStringField("output", plain(r.output()));
      g.writeStringField("reasoning", plain(r.reasoning()));
    }
    if (r.perMinute() != null) {
      g.writeStringField("per_minute", plain(r.perMinute()));
    }
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }
}
