package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The models of the calls in a range of days that match a condition, with calls and tokens. */
final class ModelsQuery {
  private ModelsQuery() {}

  /**
   * The unpriced models of {@code [from, to)} from a rollup holding model and status (counts and
   * tokens; the rollups' token kinds are disjoint, the models' totals are not), with the first and
   * last call of each from the partial index {@code calls_unpriced_by_model}.
   */
  static List<UnpricedModel> unpricedFromRollup(
      DataSource db, String rollup, LocalDate from, LocalDate to) throws SQLException {
    List<UnpricedModel> out = new ArrayList<>();
    long fromMs = from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    long toMs = to.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT model, SUM(requests) AS n,"
                    + " SUM(input_tokens + cached_input_tokens + cache_write_tokens),"
                    + " SUM(output_tokens + reasoning_tokens) FROM "
                    + rollup
                    + " WHERE day >= ? AND day < ? AND status = 'unpriced' GROUP BY model"
                    + " HAVING SUM(requests) > 0 ORDER BY n DESC, model");
        PreparedStatement seen =
            c.prepareStatement(
                "SELECT MIN(start_ms), MAX(start_ms) FROM calls WHERE status = 'unpriced'"
                    + " AND model = ? AND start_ms >= ? AND start_ms < ?")) {
      p.setString(1, from.toString());
      p.setString(2, to.toString());
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          String model = r.getString(1);
          seen.setString(1, model);
          seen.setLong(2, fromMs);
          seen.setLong(3, toMs);
          long first = fromMs;
          long last = fromMs;
          try (ResultSet s = seen.executeQuery()) {
            // No calls left (retention took them; the rollup keeps their sums): the range's start.
            if (s.next() && s.getObject(1) != null) {
              first = s.getLong(1);
              last = s.getLong(2);
            }
          }
          out.add(
              new UnpricedModel(
                  model,
                  r.getLong(2),
                  r.getLong(3),
                  r.getLong(4),
                  Instant.ofEpochMilli(first),
                  Instant.ofEpochMilli(last)));
        }
      }
    }
    return out;
  }

  /**
   * @param where a fixed SQL condition on the calls (never built from input)
   */
  static List<UnpricedModel> run(DataSource db, LocalDate from, LocalDate to, String where)
      throws SQLException {
    List<UnpricedModel> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT model, COUNT(*), SUM(input_tokens), SUM(output_tokens), MIN(start_ms),"
                    + " MAX(start_ms) FROM calls WHERE start_ms >= ? AND start_ms < ? AND "
                    + where
                    + " GROUP BY model ORDER BY COUNT(*) DESC, model")) {
      p.setLong(1, from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      p.setLong(2, to.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(
              new UnpricedModel(
                  r.getString(1),
                  r.getLong(2),
                  r.getLong(3),
                  r.getLong(4),
                  Instant.ofEpochMilli(r.getLong(5)),
                  Instant.ofEpochMilli(r.getLong(6))));
        }
      }
    }
    return out;
  }
}
