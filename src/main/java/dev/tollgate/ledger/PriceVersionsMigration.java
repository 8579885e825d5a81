package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * V15: tool calls in every rollup and the price version in {@code rollup_detail}'s key ({@code
 * tollgate/ledger/price_versions.sql}), so the FOCUS export reads that rollup. A key cannot be
 * altered in place on SQLite, so {@code rollup_detail} is rebuilt: its rows of days whose calls are
 * all kept are summed again from the calls (exact price versions and tool calls), older rows are
 * copied without a price version, and {@code rollup_coverage.detail_from} records the first exact
 * day. On a ledger that V12 has just created (the same run), every rollup is filled here instead.
 */
final class PriceVersionsMigration extends ScriptMigration {
  PriceVersionsMigration() {
    super(
        "15",
        "tool calls and price versions in the rollups",
        "/tollgate/ledger/price_versions.sql");
  }

  @Override
  void after(Connection c) throws SQLException {
    String covered = RollupBackfill.coverage(c); // null: V12 ran in this migration, filled nothing
    String detailFrom;
    if (covered == null) {
      swap(c, null);
      detailFrom = RollupBackfill.fill(c, Rollup.SINCE_V12);
    } else {
      detailFrom = RollupBackfill.wholeFrom(c, covered);
      swap(c, detailFrom);
      RollupBackfill.fill(c, List.of(Rollup.DETAIL), detailFrom);
    }
    try (PreparedStatement p =
        c.prepareStatement("UPDATE rollup_coverage SET detail_from = ? WHERE id = 1")) {
      p.setString(1, detailFrom);
      p.executeUpdate();
    }
  }

  /**
   * Replaces {@code rollup_detail} by the new table, bringing its rows of the days before {@code
   * before} (none when null) without a price version.
   */
  private static void swap(Connection c, String before) throws SQLException {
    try (Statement s = c.createStatement()) {
      if (before != null) {
        List<String> columns = new ArrayList<>(List.of("day"));
        Rollup.DETAIL.dims().forEach(d -> columns.add(Rollup.column(d)));
        DailyCounters.COLUMNS.stream().filter(n -> !n.equals("tool_calls")).forEach(columns::add);
        String list = String.join(", ", columns);
        try (PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO rollup_detail_v15 ("
                    + list
                    + ", price_version, tool_calls) SELECT "
                    + list
                    + ", '', 0 FROM rollup_detail WHERE day < ?")) {
          p.setString(1, before);
          p.executeUpdate();
        }
      }
      s.execute("DROP TABLE rollup_detail");
      s.execute("ALTER TABLE rollup_detail_v15 RENAME TO rollup_detail");
    }
  }
}
