package dev.tollgate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.config.PriceSourceConfig;
import dev.tollgate.config.PricingConfig;
import dev.tollgate.ledger.PriceSources;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET /admin/prices/sources}: each configured price source, where it is read from, and how
 * its last fetch went (as recorded in the ledger, so every replica answers alike): status, the
 * models it prices, and the models it skipped with why.
 */
final class AdminPrices {
  static final String SOURCES = "/admin/prices/sources";
  private static final JsonFactory JSON = new JsonFactory();

  private final PricingConfig config;
  private final PriceSources statuses;

  AdminPrices(PricingConfig config, PriceSources statuses) {
    this.config = config;
    this.statuses = statuses;
  }

  FullHttpResponse answer() throws IOException, SQLException {
    Map<String, PriceSources.Status> byName = new HashMap<>();
    for (PriceSources.Status s : statuses.list()) {
      byName.put(s.source(), s);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeBooleanField("sync", config.sync());
      g.writeArrayFieldStart("sources");
      for (PriceSourceConfig c : config.sources()) {
        PriceSources.Status s = byName.get(c.name());
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeStringField("format", c.format());
        g.writeStringField("location", c.location());
        g.writeStringField("refresh", c.refresh().toString());
        g.writeStringField("status", s == null ? "not_fetched_yet" : s.status());
        if (s != null) {
          g.writeStringField("last_fetch", s.fetched().toString());
          g.writeStringField("message", s.message());
          g.writeNumberField("models", s.models());
          g.writeObjectFieldStart("skipped");
          for (Map.Entry<String, String> e : s.skipped().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return AdminQueries.body(
        HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, out.toByteArray());
  }
}
