package dev.tollgate.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The price history of the synced sources, in the ledger database: each price a source gave a
 * model, from the UTC day it was first seen. A new price adds a version; what earlier versions said
 * never changes, so calls priced by them stay as they were.
 */
public final class PriceHistory {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** One version: what {@code source} said {@code model} cost from {@code from} on. */
  public record Version(String source, String model, Instant from, JsonNode entry) {}

  private final DataSource db;

  public PriceHistory(Database database) {
    this.db = database.dataSource();
  }

  /** Every version, by source, model and date. */
  public List<Version> load() throws SQLException {
    return load(null);
  }

  /** The versions of {@code source}, or of every source when it is null. */
  private List<Version> load(String source) throws SQLException {
    List<Version> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT source, model, effective_ms, entry FROM price_history"
                    + (source == null ? "" : " WHERE source = ?")
                    + " ORDER BY source, model, effective_ms")) {
      if (source != null) {
        p.setString(1, source);
      }
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(
              new Version(
                  r.getString(1),
                  r.getString(2),
                  Instant.ofEpochMilli(r.getLong(3)),
                  json(r.getString(4))));
        }
      }
    }
    return out;
  }

  /**
   * Records what {@code source} says now: a model whose entry differs from its latest version (or
   * that is new) gets a version from {@code seen} on. Returns how many models changed.
   */
  public int record(String source, Instant seen, Map<String, JsonNode> entries)
      throws SQLException {
    // Compared as the text stored: re-read JSON may type a number differently (1 vs 1.0).
    Map<String, String> latest = new HashMap<>();
    for (Version v : load(source)) {
      latest.put(v.model(), v.entry().toString()); // ordered by time: the last one stays
    }
    String insert =
        "INSERT INTO price_history (source, model, effective_ms, entry) VALUES (?,?,?,?)"
            + " ON CONFLICT (source, model, effective_ms) DO NOTHING";
    int changed = 0;
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement(insert)) {
        for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
          if (canonical(e.getValue()).equals(latest.get(e.getKey()))) {
            continue;
          }
          p.setString(1, source);
          p.setString(2, e.getKey());
          p.setLong(3, seen.toEpochMilli());
          p.setString(4, canonical(e.getValue()));
          p.addBatch();
          changed++;
        }
        p.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
    return changed;
  }

  /** The entry as stored: written and read back once, so numbers take their stored form. */
  private static String canonical(JsonNode entry) {
    return json(entry.toString()).toString();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
