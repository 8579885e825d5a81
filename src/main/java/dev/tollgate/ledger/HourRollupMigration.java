package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * V21: the hourly rollups ({@link Rollup#HOURLY}; {@code tollgate/ledger/rollup_hour.sql}), filled
 * here from the calls of the days retention has kept whole, from the other rollups' coverage on.
 * Hours before that cannot be rebuilt (their calls are gone, and no day's total says its hours), so
 * {@code rollup_coverage.hour_from} records the first day it answers for; an hourly report of
 * earlier days reads what calls are left, as it would without the rollup.
 */
final class HourRollupMigration extends ScriptMigration {
  HourRollupMigration() {
    super("21", "spend by the hour", "/tollgate/ledger/rollup_hour.sql");
  }

  @Override
  void after(Connection c) throws SQLException {
    String covered = RollupBackfill.coverage(c); // V15 has filled the others by now
    String hourFrom =
        RollupBackfill.wholeFrom(c, covered != null ? covered : RollupBackfill.ALL_DAYS);
    RollupBackfill.fill(c, Rollup.HOURLY, hourFrom);
    try (PreparedStatement p =
        c.prepareStatement("UPDATE rollup_coverage SET hour_from = ? WHERE id = 1")) {
      p.setString(1, hourFrom);
      p.executeUpdate();
    }
  }
}
