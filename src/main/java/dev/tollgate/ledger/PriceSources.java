package dev.tollgate.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * How each synced price source's last fetch went, in the ledger so that every replica, {@code
 * tollgate prices sources} and {@code GET /admin/prices/sources} see the same.
 */
public final class PriceSources {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One source's last fetch.
   *
   * @param status {@code ok} (read and recorded), {@code unchanged} (a 304, or the same bytes),
   *     {@code failed} (not fetched, or not in its format: what is known stays in force)
   * @param message why it failed, or null
   * @param models the models it priced at its last good read
   * @param skipped the models it could not price, with why (never priced from it at all)
   */
  public record Status(
      String source,
      String location,
      Instant fetched,
      String status,
      String message,
      int models,
      Map<String, String> skipped) {}

  private final DataSource db;

  public PriceSources(Database database) {
    this.db = database.dataSource();
  }

  /** Records a fetch that read the source: its models and skips replace the last ones. */
  public void read(
      String source, String location, Instant at, int models, Map<String, String> skipped)
      throws SQLException {
    upsert(new Status(source, location, at, "ok", null, models, skipped), true);
  }

  /** Records a fetch that brought nothing new, or failed: the last good read's counts stay. */
  public void attempted(String source, String location, Instant at, String status, String message)
      throws SQLException {
    upsert(new Status(source, location, at, status, message, 0, Map.of()), false);
  }

  private void upsert(Status s, boolean counts) throws SQLException {
    String sql =
        "INSERT INTO price_sources (source, location, fetched_ms, status, message, models,"
            + " skipped) VALUES (?,?,?,?,?,?,?) ON CONFLICT (source) DO UPDATE SET"
            + " location = excluded.location, fetched_ms = excluded.fetched_ms,"
            + " status = excluded.status, message = excluded.message"
            + (counts ? ", models = excluded.models, skipped = excluded.skipped" : "");
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, s.source());
      p.setString(2, s.location());
      p.setLong(3, s.fetched().toEpochMilli());
      p.setString(4, s.status());
      p.setString(5, s.message());
      p.setInt(6, s.models());
      p.setString(7, json(s.skipped()));
      p.executeUpdate();
    }
  }

  /** Every source's status, by name. */
  public List<Status> list() throws SQLException {
    List<Status> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT source, location, fetched_ms, status, message, models, skipped"
                    + " FROM price_sources ORDER BY source");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.add(
            new Status(
                r.getString(1),
                r.getString(2),
                Instant.ofEpochMilli(r.getLong(3)),
                r.getString(4),
                r.getString(5),
                r.getInt(6),
                skipped(r.getString(7))));
      }
    }
    return out;
  }

  private static String json(Map<String, String> skipped) {
    try {
      return JSON.writeValueAsString(skipped);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> skipped(String text) {
    try {
      return JSON.readValue(text, new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      return Map.of("?", "unreadable: " + e.getOriginalMessage());
    }
  }
}
