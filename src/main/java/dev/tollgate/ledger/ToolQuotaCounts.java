package dev.tollgate.ledger;

import dev.tollgate.pricing.ToolQuota;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import javax.sql.DataSource;

/** The day's tool-call counts in the ledger database, added to atomically by every replica. */
public final class ToolQuotaCounts implements ToolQuota.Store {
  private final DataSource db;

  public ToolQuotaCounts(DataSource db) {
    this.db = db;
  }

  @Override
  public long add(LocalDate day, String model, String tool, long calls) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO tool_quota (day, model, tool, calls) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (day, model, tool) DO UPDATE SET"
                    + " calls = tool_quota.calls + excluded.calls RETURNING calls")) {
      p.setString(1, day.toString());
      p.setString(2, model);
      p.setString(3, tool);
      p.setLong(4, calls);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
