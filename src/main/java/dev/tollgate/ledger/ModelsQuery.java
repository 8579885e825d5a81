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
  static final String UNPRICED = "status = 'unpriced'";

  private ModelsQuery() {}

  /**
   * @param where a fixed SQL condition on the calls (never built from input)
   */
  static List<UnpricedModel> run(DataSource db, LocalDate from, LocalDate to, String where)
      throws SQLException {
    List<UnpricedModel> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement(sql(where))) {
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

  /** The query; for the unpriced calls, V16's partial index holds every column it reads. */
  static String sql(String where) {
    return "SELECT model, COUNT(*), SUM(input_tokens), SUM(output_tokens), MIN(start_ms),"
        + " MAX(start_ms) FROM calls WHERE start_ms >= ? AND start_ms < ? AND "
        + where
        + " GROUP BY model ORDER BY COUNT(*) DESC, model";
  }
}
